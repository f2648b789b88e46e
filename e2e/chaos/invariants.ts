import type { JetStreamManager, NatsConnection } from 'nats';
import type { ServiceDatabases } from '../support/databases';
import { readStream, type StreamMessage } from '@ticketing/dev-servers';
import { consumerStates } from '../support/jetstream';
import { processorLedger } from '../support/processor-ledger';

/** A ticket whose creation a client saw acknowledged (201), with what it was told since. */
export interface AckedTicket {
  id: string;
  /** The price, title and version of the last 200/201 answer for it. */
  ackedPrice: number;
  ackedVersion: number;
  ackedTitle?: string;
  /** Edits sent after that whose outcome is unknown (no answer, 5xx): they may have applied. */
  unsureLaterPrices: number[];
  unsureLaterTitles?: string[];
  /** When each edit that may have applied (acknowledged or unanswered) was sent. */
  editsSentAt?: number[];
}

/** An order a client saw acknowledged (201). */
export interface AckedOrder {
  id: string;
  ticketId: string;
  expiresAt: number;
  /** When the first DELETE for it was sent (a lower bound of its cancellation time). */
  deleteSentAt?: number;
  /** When the last payment request for it was sent, whatever its answer (it may have been authorised). */
  paidRequestAt?: number;
}

/** What clients were told (every 2xx): the final state must reflect all of it. */
export interface AcknowledgedWrites {
  tickets: readonly AckedTicket[];
  orders: ReadonlyMap<string, AckedOrder>;
  /** Payment id → order id, for every 201 or 202 `authorized` of POST /api/payments. */
  payments: ReadonlyMap<string, string>;
  /** Payment id → order id, for every 201 `captured`: the order must end complete. */
  capturedPayments?: ReadonlyMap<string, string>;
  /** Orders whose DELETE was answered 204. */
  cancelled: ReadonlySet<string>;
  /** Orders where a DELETE and a payment were sent at the same moment on purpose. */
  provokedRaces: ReadonlySet<string>;
}

/** Dead-letter reasons of messages that can never succeed: the only ones allowed. */
export const NEVER_SUCCEEDING_REASONS = ['invalid-payload', 'malformed-json'];

type Id = { toString(): string };
interface TicketDoc {
  _id: Id;
  title: string;
  price: number;
  version: number;
  orderId?: string | null;
  /** 'held': sold and delivered; a holder who withdrew a resale holds it by the sale again. */
  state?: string;
  outbox?: unknown[];
}
interface TicketReplicaDoc {
  _id: Id;
  title: string;
  price: number;
  version: number;
}
interface OrderDoc {
  _id: Id;
  status: string;
  expiresAt: Date;
  createdAt: Date;
  updatedAt?: Date;
  version: number;
  ticket: { id: string; price: number; title?: string };
  outbox?: unknown[];
  /** Set when a complete order gave its ticket up: its buyer listed the ticket again. */
  resoldAt?: Date;
}
interface OrderReplicaDoc {
  _id: Id;
  status: string;
  price: number;
  version: number;
}
interface PaymentDoc {
  _id: Id;
  orderId: Id;
  stripeId?: string;
  status: string;
  /** Set on the one payment the order accepted. */
  acceptedFor?: Id | null;
  outbox?: unknown[];
}

/** Payment statuses that still wait for the processor or for the order's decision. */
const UNSETTLED_PAYMENT = new Set(['pending', 'requires_action', 'processing', 'authorized']);

const describePayments = (ps: PaymentDoc[] | undefined) =>
  ps?.length ? ps.map((p) => `${String(p._id)} ${p.status}${p.acceptedFor ? ' (accepted)' : ''}`).join(', ') : 'none';

const ACTIVE = new Set(['created', 'awaiting:payment', 'complete']);
/** Whether the order holds its ticket now: active, and not a sale whose buyer has listed the ticket again. */
const holds = (o: OrderDoc) => ACTIVE.has(o.status) && !o.resoldAt;
const UNPAID_ACTIVE = new Set(['created', 'awaiting:payment']);

/** Every document the checks need, read at one moment. */
export interface Snapshot {
  tickets: Map<string, TicketDoc>;
  ticketReplica: Map<string, TicketReplicaDoc>;
  orders: Map<string, OrderDoc>;
  orderReplica: Map<string, OrderReplicaDoc>;
  payments: PaymentDoc[];
  at: number;
}

/** The one spelling of an id (lower-case hex): checks compare ids in it, whatever was stored. */
const canonical = (id: unknown) => String(id).toLowerCase();

const byId = <T extends { _id: Id }>(docs: T[]) => new Map(docs.map((d) => [String(d._id), d]));

export async function snapshot(dbs: ServiceDatabases): Promise<Snapshot> {
  const [tickets, ticketReplica, orders, orderReplica, payments] = await Promise.all([
    dbs.tickets.all<TicketDoc>('tickets'),
    dbs.orders.all<TicketReplicaDoc>('tickets'),
    dbs.orders.all<OrderDoc>('orders'),
    dbs.payments.all<OrderReplicaDoc>('orders'),
    dbs.payments.all<PaymentDoc>('payments'),
  ]);
  return {
    tickets: byId(tickets),
    ticketReplica: byId(ticketReplica),
    orders: byId(orders),
    orderReplica: byId(orderReplica),
    payments,
    at: Date.now(),
  };
}

/** Differences between the tickets service's tickets and the orders service's replica. */
function ticketReplicaDiffs(s: Snapshot): string[] {
  const out: string[] = [];
  for (const [id, t] of s.tickets) {
    const r = s.ticketReplica.get(id);
    if (!r) out.push(`ticket ${id} v${t.version} missing from the orders replica`);
    else if (r.version !== t.version || r.title !== t.title || r.price !== t.price) {
      out.push(`ticket ${id}: tickets v${t.version} ${t.price} "${t.title}" ≠ orders replica v${r.version} ${r.price} "${r.title}"`);
    }
  }
  for (const id of s.ticketReplica.keys()) if (!s.tickets.has(id)) out.push(`orders replica has unknown ticket ${id}`);
  return out;
}

/** Differences between the orders service's orders and the payments service's replica. */
function orderReplicaDiffs(s: Snapshot): string[] {
  const out: string[] = [];
  for (const [id, o] of s.orders) {
    const r = s.orderReplica.get(id);
    if (!r) out.push(`order ${id} v${o.version} ${o.status} missing from the payments replica`);
    else if (r.version !== o.version || r.status !== o.status || r.price !== o.ticket.price) {
      out.push(`order ${id}: orders v${o.version} ${o.status} ${o.ticket.price} ≠ payments replica v${r.version} ${r.status} ${r.price}`);
    }
  }
  for (const id of s.orderReplica.keys()) if (!s.orders.has(id)) out.push(`payments replica has unknown order ${id}`);
  return out;
}

function ordersByTicket(s: Snapshot): Map<string, OrderDoc[]> {
  const m = new Map<string, OrderDoc[]>();
  // Grouped by the canonical id, so that an order stored with another spelling of the id still counts.
  for (const o of s.orders.values()) {
    const id = canonical(o.ticket.id);
    m.set(id, [...(m.get(id) ?? []), o]);
  }
  return m;
}

/** The tickets service must say a ticket is held by exactly the order that holds it in the orders service. */
function reservationDiffs(s: Snapshot): string[] {
  const out: string[] = [];
  const byTicket = ordersByTicket(s);
  for (const [id, t] of s.tickets) {
    // A delivered ticket whose holder listed it again and then withdrew it is held again by its
    // sale, which gave its reservation up when it was listed (resoldAt): still the sale.
    const sale = (o: OrderDoc) => t.state === 'held' && o.status === 'complete' && String(o._id) === t.orderId;
    const holder = (byTicket.get(id) ?? []).find((o) => holds(o) || sale(o));
    const held = t.orderId ?? undefined;
    const want = holder ? String(holder._id) : undefined;
    if (held !== want) out.push(`ticket ${id}: tickets service says held by ${held ?? 'nobody'}, orders says ${want ?? 'nobody'}`);
  }
  return out;
}

function unpaidExpired(s: Snapshot, graceMs: number): OrderDoc[] {
  return [...s.orders.values()].filter((o) => UNPAID_ACTIVE.has(o.status) && o.expiresAt.getTime() < s.at - graceMs);
}

/** What still has to happen before the system is at rest; empty when settled. */
export async function unsettled(dbs: ServiceDatabases, jsm: JetStreamManager): Promise<string[]> {
  const s = await snapshot(dbs);
  const out: string[] = [];
  const pendingOutbox =
    [...s.tickets.values(), ...s.orders.values(), ...s.payments].filter((d) => (d.outbox?.length ?? 0) > 0).length;
  if (pendingOutbox) out.push(`${pendingOutbox} documents with unpublished outbox entries`);
  for (const c of await consumerStates(jsm)) {
    if (c.stream === 'DEADLETTER') continue;
    if (c.pending || c.ackPending) out.push(`consumer ${c.name}: ${c.pending} pending, ${c.ackPending} unacknowledged`);
  }
  out.push(...ticketReplicaDiffs(s), ...orderReplicaDiffs(s), ...reservationDiffs(s));
  const expired = unpaidExpired(s, 1_000);
  if (expired.length) out.push(`${expired.length} unpaid orders past their expiry not cancelled yet`);
  const waiting = s.payments.filter((p) => {
    const o = s.orders.get(String(p.orderId));
    if (!o) return true;
    if (UNSETTLED_PAYMENT.has(p.status)) return !UNPAID_ACTIVE.has(o.status);
    return p.status === 'captured' && o.status !== 'complete';
  });
  if (waiting.length) out.push(`${waiting.length} payments not yet captured, released or refunded as their order decided`);
  return out;
}

export interface Verdict {
  name: string;
  ok: boolean;
  detail: string;
  /** Up to a few examples of violations. */
  examples?: string[];
}

/** An accepted payment whose order ended cancelled: its hold was released, the buyer not charged. */
export interface ReleasedHold {
  orderId: string;
  paymentId: string;
  provoked: boolean;
  /** How long before the order's expiry the successful payment request was sent (if the load generator sent it). */
  sentBeforeExpiryMs?: number;
  /** Why it happened: a provoked race, a payment racing the expiry, or a fault during the payment's window. */
  explanation?: string;
}

/** A payment sent this close to the expiry races the expiration worker: a refund is the documented outcome. */
export const EXPIRY_RACE_MS = 1_500;

export interface CheckInput {
  dbs: ServiceDatabases;
  nc: NatsConnection;
  jsm: JetStreamManager;
  load: AcknowledgedWrites;
  lines: { name: string; line: string }[];
  /** The faults injected: what was killed (or paused, or flushed) and when (Date.now()). */
  kills: { target: string; atEpochMs: number; downMs: number }[];
  /**
   * Dead letters the test caused on purpose (events it published with an invalid payload);
   * every other dead letter is a violation. Default: none.
   */
  deliberateDeadLetter?: (m: StreamMessage) => boolean;
}

/**
 * A fault this close around a payment can hold its payment.created back past the expiry
 * (broker down, relay backing off, the payments replica that wrote it killed before relaying).
 */
const FAULT_REACH_MS = { before: 3_000, after: 1_000 };

/** A verdict from the problems found (ok when none), with a few of them as examples. */
export const verdict = (name: string, problems: string[], detail: string): Verdict => ({
  name,
  ok: problems.length === 0,
  detail: problems.length ? `${problems.length} violations; ${detail}` : detail,
  examples: problems.slice(0, 5),
});

/**
 * Checks the final state against every invariant; returns a verdict per invariant and the
 * refund cases (payments that succeeded for an order cancelled concurrently).
 */
export async function checkInvariants(input: CheckInput): Promise<{ verdicts: Verdict[]; releasedHolds: ReleasedHold[] }> {
  const s = await snapshot(input.dbs);
  const { load } = input;
  const verdicts: Verdict[] = [];

  verdicts.push(
    verdict(
      'every id stored in its canonical form (lower-case hex)',
      [...s.orders.values()].filter((o) => o.ticket.id !== canonical(o.ticket.id)).map((o) => `order ${String(o._id)} stores ticket id ${o.ticket.id}`),
      `${s.orders.size} orders`,
    ),
  );
  verdicts.push(verdict("orders' ticket replica = tickets service (id, version, title, price)", ticketReplicaDiffs(s), `${s.tickets.size} tickets`));
  verdicts.push(verdict("payments' order replica = orders service (id, version, status, price)", orderReplicaDiffs(s), `${s.orders.size} orders`));

  const byTicket = ordersByTicket(s);
  const twoActive: string[] = [];
  const twoComplete: string[] = [];
  for (const [ticketId, orders] of byTicket) {
    const active = orders.filter(holds);
    if (active.length > 1) twoActive.push(`ticket ${ticketId}: ${active.map((o) => `${String(o._id)} ${o.status}`).join(', ')}`);
    const complete = orders.filter((o) => o.status === 'complete' && !o.resoldAt);
    if (complete.length > 1) twoComplete.push(`ticket ${ticketId}: ${complete.map((o) => String(o._id)).join(', ')}`);
  }
  verdicts.push(verdict('at most one active order per ticket (final state)', twoActive, `${byTicket.size} tickets ordered`));

  // Across the run, from the ORDERS stream's history: a second order.completed for a ticket would
  // mean two orders of it were complete at some point (complete is final), unless every earlier
  // sale was resold (its buyer listed the ticket again) before the next order was placed.
  const orderEvents = await readStream(input.jsm, 'ORDERS');
  const completedByTicket = new Map<string, Set<string>>();
  for (const e of orderEvents) {
    const d = e.data as { id?: string; ticket?: { id?: string } } | undefined;
    // Only well-formed events (a test may have published invalid ones on purpose).
    if (e.subject !== 'order.completed' || typeof d?.id !== 'string' || typeof d.ticket?.id !== 'string') continue;
    const ticketId = canonical(d.ticket.id);
    completedByTicket.set(ticketId, new Set([...(completedByTicket.get(ticketId) ?? []), canonical(d.id)]));
  }
  for (const [ticketId, ids] of completedByTicket) {
    const stillHeld = [...ids].filter((id) => !s.orders.get(id)?.resoldAt);
    if (stillHeld.length > 1) twoComplete.push(`ORDERS stream: ticket ${ticketId} completed by ${stillHeld.join(', ')}, none of them resold`);
  }
  verdicts.push(
    verdict('no ticket ever had two complete orders (final state and ORDERS history)', twoComplete, `${orderEvents.length} order events read`),
  );

  // Across the run: an order holds its ticket from its insert (createdAt) until it is cancelled,
  // which cannot happen before its expiry, before the buyer's first DELETE was sent, or (when
  // the seller's edit won against it) before an edit of its ticket was sent. Another order of
  // the same ticket created inside that interval means two orders held it at once.
  // createdAt is stamped just before the insert, so a margin absorbs a stalled event loop.
  const MARGIN_MS = 200;
  const overlaps: string[] = [];
  const editsOf = new Map(load.tickets.map((t) => [t.id, t.editsSentAt ?? []]));
  for (const [ticketId, orders] of byTicket) {
    for (const a of orders) {
      const placed = load.orders.get(String(a._id));
      // An edit sent before the order was even placed can still win (its event not yet in the
      // orders service's replica), so any edit sent before the order was surely released counts.
      const releasedBy = Math.min(a.expiresAt.getTime(), placed?.deleteSentAt ?? Infinity);
      const editedAt = (editsOf.get(ticketId) ?? []).some((at) => at < releasedBy) ? a.createdAt.getTime() : Infinity;
      const heldUntil =
        a.status === 'cancelled'
          ? Math.min(a.expiresAt.getTime(), placed?.deleteSentAt ?? Infinity, a.updatedAt?.getTime() ?? Infinity, editedAt)
          : (a.resoldAt?.getTime() ?? Number.POSITIVE_INFINITY);
      for (const b of orders) {
        if (a === b) continue;
        const t = b.createdAt.getTime();
        if (t > a.createdAt.getTime() && t < heldUntil - MARGIN_MS) {
          overlaps.push(`ticket ${ticketId}: order ${String(b._id)} placed while ${String(a._id)} (${a.status}) still held it`);
        }
      }
    }
  }
  verdicts.push(verdict('no ticket was ever held by two orders at once (reservation intervals)', overlaps, `${s.orders.size} orders`));

  verdicts.push(verdict('tickets service holds each ticket for exactly its active order', reservationDiffs(s), `${s.tickets.size} tickets`));

  // The price the buyer saw is the price of the ticket they hold: no edit applies to a held ticket.
  const drift: string[] = [];
  for (const o of s.orders.values()) {
    const t = s.tickets.get(canonical(o.ticket.id));
    if (!holds(o) || !t) continue;
    if (t.price !== o.ticket.price || (o.ticket.title !== undefined && t.title !== o.ticket.title)) {
      drift.push(`order ${String(o._id)} (${o.status}) holds ticket ${String(t._id)} at ${o.ticket.price} ${JSON.stringify(o.ticket.title)}; the ticket is now ${t.price} ${JSON.stringify(t.title)}`);
    }
  }
  verdicts.push(verdict('every active order holds its ticket as ordered (price, title)', drift, `${[...s.orders.values()].filter(holds).length} active orders`));

  // Payments: money moves only when the order decides.
  const paymentsByOrder = new Map<string, PaymentDoc[]>();
  for (const p of s.payments) paymentsByOrder.set(String(p.orderId), [...(paymentsByOrder.get(String(p.orderId)) ?? []), p]);
  const accepted = (ps: PaymentDoc[]) => ps.filter((p) => p.acceptedFor !== undefined && p.acceptedFor !== null);
  const charged = (ps: PaymentDoc[]) => ps.filter((p) => p.status === 'captured');
  verdicts.push(
    verdict(
      'no order has more than one accepted payment, nor more than one capture',
      [...paymentsByOrder]
        .filter(([, ps]) => accepted(ps).length > 1 || charged(ps).length > 1)
        .map(([o, ps]) => `order ${o}: ${accepted(ps).length} accepted, ${charged(ps).length} captured`),
      `${s.payments.length} payments`,
    ),
  );
  const completeOrders = [...s.orders.values()].filter((o) => o.status === 'complete');
  verdicts.push(
    verdict(
      'every complete order has exactly one captured payment, its accepted one',
      completeOrders
        .filter((o) => {
          const ps = paymentsByOrder.get(String(o._id)) ?? [];
          const c = charged(ps);
          return c.length !== 1 || !accepted(ps).includes(c[0]);
        })
        .map((o) => `order ${String(o._id)} is complete; its payments: ${describePayments(paymentsByOrder.get(String(o._id)))}`),
      `${completeOrders.length} complete`,
    ),
  );
  verdicts.push(
    verdict(
      'no money is kept for an order that is not complete (captured only for complete orders; anything else refunded)',
      s.payments
        .filter((p) => p.status === 'captured' && s.orders.get(String(p.orderId))?.status !== 'complete')
        .map((p) => `payment ${String(p._id)} captured for order ${String(p.orderId)} (${s.orders.get(String(p.orderId))?.status ?? 'unknown'})`),
      `${s.payments.filter((p) => p.status === 'refunded').length} refunded by the backstop`,
    ),
  );
  verdicts.push(
    verdict(
      'no payment is left half-way (pending, processing, requires_action or authorised) once orders are final',
      s.payments
        .filter((p) => UNSETTLED_PAYMENT.has(p.status) && !UNPAID_ACTIVE.has(s.orders.get(String(p.orderId))?.status ?? ''))
        .map((p) => `payment ${String(p._id)} is ${p.status}; order ${String(p.orderId)} is ${s.orders.get(String(p.orderId))?.status ?? 'unknown'}`),
      `${s.payments.filter((p) => p.status === 'voided').length} holds released`,
    ),
  );

  // The processor's own ledger (the sandbox's intents): what buyers were really charged.
  const ledger = await processorLedger(input.dbs);
  verdicts.push(
    verdict(
      "the processor kept each complete order's price once and nothing for any other order; no hold left open",
      [
        ...[...s.orders.values()]
          .filter((o) => ledger.keptCents(String(o._id)) !== (o.status === 'complete' ? Math.round(o.ticket.price * 100) : 0))
          .map((o) => `order ${String(o._id)} (${o.status}, ${o.ticket.price}): the processor kept ${ledger.keptCents(String(o._id))} cents`),
        ...ledger.uncapturedHolds((id) => UNPAID_ACTIVE.has(s.orders.get(id)?.status ?? '')).map((h) => `hold still open for a decided order: ${h}`),
      ],
      `${s.orders.size} orders`,
    ),
  );

  // An accepted payment whose order ended cancelled: the hold was released, the buyer not
  // charged. It must have a cause (a race the test provoked, a payment at the end of the
  // window, a seller's edit, or a fault in between); anything else would be a payment.created
  // lost or late on its way to orders.
  const releasedHolds: ReleasedHold[] = [];
  for (const p of s.payments) {
    if (p.acceptedFor === undefined || p.acceptedFor === null) continue;
    const orderId = String(p.orderId);
    if (s.orders.get(orderId)?.status !== 'cancelled') continue;
    const placed = load.orders.get(orderId);
    releasedHolds.push({
      orderId,
      paymentId: String(p._id),
      provoked: load.provokedRaces.has(orderId),
      sentBeforeExpiryMs: placed?.paidRequestAt !== undefined ? placed.expiresAt - placed.paidRequestAt : undefined,
    });
  }
  for (const r of releasedHolds) {
    const placed = load.orders.get(r.orderId);
    const edits = placed ? (editsOf.get(placed.ticketId) ?? []) : [];
    if (r.provoked) r.explanation = 'cancel+pay sent at once';
    else if (placed?.deleteSentAt !== undefined && placed.paidRequestAt !== undefined && placed.deleteSentAt >= placed.paidRequestAt) {
      r.explanation = 'its buyer cancelled it while the payment was in flight';
    }
    else if (placed && edits.some((at) => at <= placed.expiresAt)) r.explanation = "the seller's edit of the ticket won against the order";
    else if (r.sentBeforeExpiryMs !== undefined && r.sentBeforeExpiryMs <= EXPIRY_RACE_MS) r.explanation = 'paid in the last moments of the window';
    else if (placed?.paidRequestAt !== undefined) {
      const from = placed.paidRequestAt - FAULT_REACH_MS.before;
      const to = placed.expiresAt + FAULT_REACH_MS.after;
      const fault = input.kills.find((k) => k.atEpochMs + k.downMs >= from && k.atEpochMs <= to);
      if (fault) {
        const dt = (fault.atEpochMs - placed.paidRequestAt) / 1000;
        r.explanation = `${fault.target} killed ${Math.abs(dt).toFixed(1)} s ${dt < 0 ? 'before' : 'after'} the payment request`;
      }
    }
  }
  const unprovoked = releasedHolds.filter((r) => !r.provoked);
  verdicts.push(
    verdict(
      'every released hold of an accepted payment has a cause (provoked race, payment at the end of the window, or a fault in between)',
      releasedHolds.filter((r) => !r.explanation).map((r) => `order ${r.orderId}: payment sent ${r.sentBeforeExpiryMs ?? '?'} ms before expiry, no fault near it`),
      `${unprovoked.length} unprovoked`,
    ),
  );
  // The load sends some payments in the last moments of the window on purpose; most of those
  // still complete. A regression (payment.created lost or late, expiry early) would push this up.
  const allowed = Math.max(3, Math.ceil(s.payments.length * 0.1));
  verdicts.push(
    verdict(
      'released holds of accepted payments are few (unprovoked ≤ max(3, 10% of payments))',
      unprovoked.length > allowed ? unprovoked.map((r) => `order ${r.orderId}`) : [],
      `${unprovoked.length} unprovoked of ${s.payments.length} payments; allowed ${allowed}`,
    ),
  );

  verdicts.push(
    verdict(
      'every unpaid order past its expiresAt is cancelled',
      unpaidExpired(s, 0).map((o) => `order ${String(o._id)} ${o.status}, expired ${s.at - o.expiresAt.getTime()} ms ago`),
      `${[...s.orders.values()].filter((o) => o.status === 'cancelled').length} cancelled`,
    ),
  );

  // What clients were told is reflected in the final state.
  const lostTickets: string[] = [];
  for (const t of load.tickets) {
    const doc = s.tickets.get(t.id);
    if (!doc) lostTickets.push(`ticket ${t.id} (201) does not exist`);
    else if (doc.version < t.ackedVersion) lostTickets.push(`ticket ${t.id} is at v${doc.version}, below acknowledged v${t.ackedVersion}`);
    else if (doc.price !== t.ackedPrice && !t.unsureLaterPrices.includes(doc.price)) {
      lostTickets.push(`ticket ${t.id} costs ${doc.price}; acknowledged ${t.ackedPrice}, unanswered later edits ${JSON.stringify(t.unsureLaterPrices)}`);
    } else if (t.ackedTitle !== undefined && doc.title !== t.ackedTitle && !(t.unsureLaterTitles ?? []).includes(doc.title)) {
      lostTickets.push(`ticket ${t.id} is titled ${JSON.stringify(doc.title)}; acknowledged ${JSON.stringify(t.ackedTitle)}, unanswered later edits ${JSON.stringify(t.unsureLaterTitles)}`);
    }
  }
  verdicts.push(verdict('every 201 ticket exists with its last acknowledged content (title, price) or a later one', lostTickets, `${load.tickets.length} tickets`));
  const lostOrders = [...load.orders.keys()].filter((id) => !s.orders.has(id)).map((id) => `order ${id} (201) does not exist`);
  verdicts.push(verdict('every 201 order exists', lostOrders, `${load.orders.size} orders`));
  const paymentIds = new Map(s.payments.map((p) => [String(p._id), String(p.orderId)]));
  const lostPayments = [...load.payments]
    .filter(([id, orderId]) => paymentIds.get(id) !== orderId)
    .map(([id, orderId]) => `payment ${id} for order ${orderId} (201/202) does not exist`);
  for (const [id, orderId] of load.capturedPayments ?? []) {
    if (s.orders.get(orderId)?.status !== 'complete') lostPayments.push(`payment ${id} answered 201 captured, yet order ${orderId} is ${s.orders.get(orderId)?.status ?? 'missing'}`);
  }
  verdicts.push(verdict('every acknowledged payment exists; every 201 (captured) payment\'s order is complete', lostPayments, `${load.payments.size} payments`));
  const lostCancels = [...load.cancelled]
    .filter((id) => s.orders.get(id)?.status !== 'cancelled')
    .map((id) => `order ${id} (204) is ${s.orders.get(id)?.status ?? 'missing'}`);
  verdicts.push(verdict('every 204 cancel is cancelled', lostCancels, `${load.cancelled.size} cancels`));

  // Only a message that can never succeed may be dead-lettered, and only the test's own garbage is such.
  const deadLetters = await readStream(input.jsm, 'DEADLETTER');
  const deliberate = input.deliberateDeadLetter ?? (() => false);
  const reasonOf = (m: StreamMessage) => String((m.data as { reason?: unknown } | undefined)?.reason);
  const unexpected = deadLetters.filter((m) => !(deliberate(m) && NEVER_SUCCEEDING_REASONS.includes(reasonOf(m))));
  verdicts.push(
    verdict(
      `dead letters only for the test's invalid payloads (reasons ${NEVER_SUCCEEDING_REASONS.join(', ')})`,
      unexpected.map((m) => `${m.subject} (${reasonOf(m)}): ${m.raw.slice(0, 200)}`),
      `${deadLetters.length} dead letters, ${deadLetters.length - unexpected.length} deliberate`,
    ),
  );
  return { verdicts, releasedHolds };
}
