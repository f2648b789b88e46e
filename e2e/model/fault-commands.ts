import { randomBytes } from 'node:crypto';
import type fc from 'fast-check';
import { EVENT_ROUTES, type EventSubject } from '@ticketing/common';
import { sleep } from '@ticketing/dev-servers';
import { diagnose, waitAllReady, type FaultKind } from '../support/faults';
import { CONSUMERS, garbageEvents } from '../support/garbage-events';
import { WINDOW_SECONDS } from './config';
import type { Model } from './model';
import type { RealSystem } from './system';

/**
 * A fault command runs in the fault sequence, concurrently with the users' commands. Faults
 * never overlap: each waits until every service is ready again. Once every user is done the
 * remaining faults are skipped (nobody would see them).
 */
abstract class FaultCommand implements fc.AsyncCommand<Model, RealSystem> {
  check(m: Readonly<Model>): boolean {
    return m.usersRunning > 0;
  }
  abstract run(m: Model, r: RealSystem): Promise<void>;
  abstract toString(): string;

  /** Runs `inject`, then waits for the whole stack to be ready, recording the fault's span. */
  protected async inject(m: Model, r: RealSystem, kind: FaultKind, target: string, downMs: number, inject: () => Promise<void>): Promise<void> {
    m.countCommand(`fault: ${kind} ${target.replace(/-\d+$/, '')}`);
    const record: Model['faults'][number] = { kind, target, atEpochMs: Date.now(), downMs };
    m.faults.push(record);
    m.ongoingFaults++;
    process.stdout.write(`[model] ${new Date().toISOString()} ${kind} ${target}${downMs ? ` for ${downMs} ms` : ''}\n`);
    try {
      await inject().catch((err: Error) => m.violation(`${kind} ${target} could not be done: ${err.message}`));
      const outageEnd = Date.now();
      record.readyAfterMs = await waitAllReady(r.stack);
      if (record.readyAfterMs === undefined) {
        m.violation(`not every service was ready 90 s after ${kind} ${target}:\n${await diagnose(r.stack)}`);
      }
      record.endEpochMs = outageEnd + (record.readyAfterMs ?? 0);
    } finally {
      m.ongoingFaults--;
    }
  }
}

/** `pick` → a target: half the time NATS, Redis or MongoDB, otherwise a replica of a service. */
function target(r: RealSystem, pick: number, allowMongo: boolean): string {
  const infra = ['nats', 'redis', ...(allowMongo ? ['mongo'] : [])];
  const services = r.faults.targets().filter((t) => !['nats', 'redis', 'mongo'].includes(t));
  return pick % 2 === 0 ? infra[(pick >> 1) % infra.length] : services[(pick >> 1) % services.length];
}

export class KillAndRestart extends FaultCommand {
  constructor(
    readonly pick: number,
    readonly downMs: number,
    readonly allowMongo: boolean,
  ) {
    super();
  }
  async run(m: Model, r: RealSystem): Promise<void> {
    const t = target(r, this.pick, this.allowMongo);
    await this.inject(m, r, 'kill', t, this.downMs, () => r.faults.kill(t, this.downMs));
  }
  toString(): string {
    return `fault.sigkill(#${this.pick}, down ${this.downMs} ms)`;
  }
}

export class PauseAndResume extends FaultCommand {
  constructor(
    readonly pick: number,
    readonly frozenMs: number,
  ) {
    super();
  }
  async run(m: Model, r: RealSystem): Promise<void> {
    const t = target(r, this.pick, true);
    await this.inject(m, r, 'pause', t, this.frozenMs, () => r.faults.pause(t, this.frozenMs));
  }
  toString(): string {
    return `fault.sigstop(#${this.pick}, ${this.frozenMs} ms)`;
  }
}

/** An unpaid order whose expiry job surely exists by now (placed over a second ago) and has not fired yet. */
function pendingExpiry(m: Model): boolean {
  const now = Date.now();
  return [...m.orders.values()].some(
    (o) => !o.paid && !m.cancelled.has(o.id) && now - (o.expiresAt - WINDOW_SECONDS * 1000) > 1_000 && o.expiresAt - now > 500,
  );
}

export class FlushRedis extends FaultCommand {
  async run(m: Model, r: RealSystem): Promise<void> {
    // Most telling while an expiry is pending: wait a little for one.
    for (let i = 0; i < 20 && !pendingExpiry(m); i++) await sleep(250);
    await this.inject(m, r, 'flush', 'redis', 0, () => r.faults.flushRedis());
  }
  toString(): string {
    return 'fault.redisFlushAll()';
  }
}

/** Time without faults. */
export class Calm extends FaultCommand {
  constructor(readonly ms: number) {
    super();
  }
  async run(): Promise<void> {
    await sleep(this.ms);
  }
  toString(): string {
    return `fault.calm(${this.ms} ms)`;
  }
}

/**
 * Publishes events that can never be handled (not JSON; JSON that breaks the schema) on a
 * subject: each consuming service must dead-letter them (and only them) and carry on.
 */
export class PublishInvalidEvents extends FaultCommand {
  constructor(readonly subjectPick: number) {
    super();
  }
  async run(m: Model, r: RealSystem): Promise<void> {
    const subjects = Object.keys(CONSUMERS);
    const subject = subjects[this.subjectPick % subjects.length];
    m.countCommand('publish invalid events');
    const nonce = `model-${randomBytes(6).toString('hex')}`;
    // Recorded first: whatever reached the stream is deliberate, even if a later publish fails.
    m.garbageNonces.push(nonce);
    m.garbageSubjects.set(nonce, subject);
    m.garbagePublished.set(nonce, 0);
    // As the subject's owner (a buggy owner): no other NATS user may publish it.
    const owner = await r.natsConnection(EVENT_ROUTES[subject as EventSubject].owner);
    try {
      for (const g of garbageEvents(subject, nonce)) {
        await owner.nc.jetstream().publish(subject, g.data);
        m.garbagePublished.set(nonce, m.garbagePublished.get(nonce)! + 1);
      }
    } finally {
      await owner.close();
    }
  }
  toString(): string {
    return `fault.publishInvalidEvents(#${this.subjectPick})`;
  }
}
