import type { AckedOrder, AckedTicket, AcknowledgedWrites } from '../chaos/invariants';
import type { FaultRecord } from '../support/faults';
import { FAULT_SLACK_MS } from './config';

/** A ticket some user's create was acknowledged for (201), and what its owner was told since. */
export interface ModelTicket extends AckedTicket {
  owner: number;
  ackedTitle: string;
  unsureLaterTitles: string[];
  editsSentAt: number[];
  /** Date.now() of the 201. */
  listedAt: number;
}

/** An order acknowledged (201) to a buyer. */
export interface ModelOrder extends AckedOrder {
  buyer: number;
  /** A payment for it was acknowledged (201). */
  paid: boolean;
}

/** A waitlist join acknowledged (201) to a buyer. */
export interface ModelWait {
  user: number;
  ticketId: string;
  joinedAt: number;
  /** When a DELETE answered 204, or 404 (no longer waiting). */
  leftAt?: number;
}

/** One answer the system gave, kept for the report and for checks over the whole run. */
export interface Exchange {
  user: number;
  route: string;
  status: number;
  sentAt: number;
  answeredAt: number;
}

/**
 * The model: everything the system acknowledged (it implements the invariants' record of
 * acknowledged writes), the faults injected with their time spans, and the violations seen
 * while the commands ran. Shared by every user's command sequence (one JS thread: a
 * command's updates happen between its awaits, never torn).
 */
export class Model implements AcknowledgedWrites {
  readonly tickets: ModelTicket[] = [];
  readonly orders = new Map<string, ModelOrder>();
  readonly payments = new Map<string, string>();
  readonly capturedPayments = new Map<string, string>();
  readonly cancelled = new Set<string>();
  readonly waits: ModelWait[] = [];
  readonly provokedRaces = new Set<string>();
  readonly faults: (FaultRecord & { endEpochMs?: number })[] = [];
  /** Faults under way (started, everything not ready again yet). */
  ongoingFaults = 0;
  readonly exchanges: Exchange[] = [];
  readonly violations: string[] = [];
  /** Nonces of the invalid events published on purpose (their dead letters are expected). */
  readonly garbageNonces: string[] = [];
  /** Nonce → the subject its invalid events were published on. */
  readonly garbageSubjects = new Map<string, string>();
  /** Nonce → how many of its invalid events the stream acknowledged. */
  readonly garbagePublished = new Map<string, number>();
  usersRunning = 0;
  readonly commandsRun = new Map<string, number>();

  /** A later run on the same stack carries over what earlier runs were told (the checks read the whole database). */
  constructor(
    readonly users: number,
    earlier?: Model,
  ) {
    if (!earlier) return;
    this.tickets.push(...earlier.tickets);
    this.waits.push(...earlier.waits);
    for (const [k, v] of earlier.orders) this.orders.set(k, v);
    for (const [k, v] of earlier.payments) this.payments.set(k, v);
    for (const [k, v] of earlier.capturedPayments) this.capturedPayments.set(k, v);
    for (const v of earlier.cancelled) this.cancelled.add(v);
    for (const v of earlier.provokedRaces) this.provokedRaces.add(v);
    this.faults.push(...earlier.faults);
    this.garbageNonces.push(...earlier.garbageNonces);
    for (const [k, v] of earlier.garbageSubjects) this.garbageSubjects.set(k, v);
    for (const [k, v] of earlier.garbagePublished) this.garbagePublished.set(k, v);
  }

  private readonly seen = new Set<string>();

  /** Records a violation once (a listing repeats the same wrong order at every look). */
  violation(text: string): void {
    if (this.seen.has(text)) return;
    this.seen.add(text);
    this.violations.push(`${new Date().toISOString()} ${text}`);
    process.stdout.write(`[model] VIOLATION ${text}\n`);
  }

  ticket(id: string): ModelTicket | undefined {
    return this.tickets.find((t) => t.id === id);
  }

  /**
   * Whether an answer given between `sentAt` and `answeredAt` may be an outage's (no answer,
   * 5xx): a fault was under way, or ended (everything ready again) less than FAULT_SLACK_MS
   * before the request was sent.
   */
  excused(sentAt: number, answeredAt: number): boolean {
    if (this.ongoingFaults > 0) return true;
    return this.faults.some((f) => f.atEpochMs <= answeredAt && (f.endEpochMs === undefined || f.endEpochMs + FAULT_SLACK_MS >= sentAt));
  }

  countCommand(name: string): void {
    this.commandsRun.set(name, (this.commandsRun.get(name) ?? 0) + 1);
  }
}
