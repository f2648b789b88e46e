/** Buyers: order (alone or in a rush), cancel, look at orders, wait for expiry. */
import { sleep } from '@ticketing/dev-servers';
import { EXPIRY_GRACE_SECONDS, SWEEP_INTERVAL_SECONDS, WINDOW_SECONDS } from './config';
import { CANONICAL_ID, spell, spellParam, type IdSpelling } from './inputs';
import type { Model, ModelOrder, ModelTicket } from './model';
import type { RealSystem, Timed } from './system';
import { choose, isOutage, ownOrders, show, UserCommand, type OrderBody } from './command-support';

/** Candidate tickets for `user` to buy: someone else's, listed a moment ago or earlier. */
function buyable(m: Model, user: number): ModelTicket[] {
  return m.tickets.filter((t) => t.owner !== user && Date.now() - t.listedAt > 300);
}

/** Records an order's 201 and checks what it says. */
function acceptOrder(m: Model, buyer: number, ticket: ModelTicket, res: Timed<OrderBody>): ModelOrder {
  const o = res.body;
  if (!CANONICAL_ID.test(o.id)) m.violation(`order created with a non-canonical id ${show(o.id)}`);
  if (o.ticket?.id !== ticket.id) m.violation(`order ${o.id} for ticket ${ticket.id} records the ticket as ${show(o.ticket?.id)}`);
  if (o.status !== 'created') m.violation(`new order ${o.id} has status ${o.status}`);
  const order: ModelOrder = { id: o.id, ticketId: ticket.id, buyer, expiresAt: new Date(o.expiresAt).getTime(), paid: false };
  m.orders.set(order.id, order);
  return order;
}

function orderAnswerAllowed(m: Model, route: string, res: Timed<unknown>): void {
  // 400 taken or own; 404 not yet known to the orders service; 409 a race; 429 a buyer's cap.
  if (res.status === 201 || isOutage(res.status) || [400, 404, 409, 429].includes(res.status)) return;
  m.violation(`${route} answered ${res.status} ${show(res.body)}`);
}

export class OrderTicket extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spelling: IdSpelling,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const t = choose(buyable(m, this.user), this.pick);
    if (!t) return;
    m.countCommand('order');
    const res = await r.call<OrderBody>(m, this.user, 'POST', '/api/orders', 'POST /api/orders', { ticketId: spell(t.id, this.spelling) });
    orderAnswerAllowed(m, 'POST /api/orders', res);
    if (res.status === 201) acceptOrder(m, this.user, t, res);
  }
  toString(): string {
    return `u${this.user}.order(#${this.pick}, ${this.spelling.kind}/${this.spelling.mask})`;
  }
}

/**
 * Every other user orders the same ticket at the same moment, each spelling its id
 * differently: at most one may hold it at a time (unless the seller's edit cancelled the winner meanwhile).
 */
export class RushTicket extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spellings: IdSpelling[],
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const t = choose(buyable(m, this.user), this.pick);
    if (!t) return;
    m.countCommand('rush (concurrent orders)');
    const buyers = [...Array(m.users).keys()].filter((u) => u !== t.owner);
    const startedAt = Date.now();
    const answers = await Promise.all(
      buyers.map((u, i) =>
        r.call<OrderBody>(m, u, 'POST', '/api/orders', 'POST /api/orders', { ticketId: spell(t.id, this.spellings[i % this.spellings.length]) }),
      ),
    );
    const winners: ModelOrder[] = [];
    answers.forEach((res, i) => {
      orderAnswerAllowed(m, 'POST /api/orders', res);
      if (res.status === 201) winners.push(acceptOrder(m, buyers[i], t, res));
    });
    const edited = t.editsSentAt.some((at) => at >= startedAt - 60_000);
    if (heldAtOnce(winners) && !edited) {
      m.violation(`${winners.length} concurrent orders won ticket ${t.id} (spellings ${this.spellings.map((s) => s.kind).join(', ')}): ${winners.map((o) => o.id).join(', ')}`);
    }
  }
  toString(): string {
    return `u${this.user}.rush(#${this.pick}, ${this.spellings.map((s) => `${s.kind}/${s.mask}`).join(' ')})`;
  }
}

/**
 * Two winners of one rush held the ticket at once: the later one was created (its expiresAt
 * less the window) before the earlier one expired. A rush stalled by a fault (MongoDB frozen
 * for longer than the window) may answer one buyer before the freeze and another after the
 * first order expired: that is a sale of a ticket that was free again, not a double booking
 * (the reservation-interval invariant checks it against what the services stored).
 */
export function heldAtOnce(winners: readonly ModelOrder[]): boolean {
  const byExpiry = [...winners].sort((a, b) => a.expiresAt - b.expiresAt);
  return byExpiry.some((later, i) => i > 0 && later.expiresAt - WINDOW_SECONDS * 1000 < byExpiry[i - 1].expiresAt);
}

export class CancelOrder extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spelling: IdSpelling,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const o = choose(ownOrders(m, this.user, (x) => !m.cancelled.has(x.id)), this.pick);
    if (!o) return;
    m.countCommand('cancel');
    o.deleteSentAt ??= Date.now();
    // Cancelling an order already paid for races the payment: one of the two wins (a released hold if the cancel does).
    if (o.paid) m.provokedRaces.add(o.id);
    const path = `/api/orders/${spellParam(o.id, this.spelling)}`;
    const res = await r.call(m, this.user, 'DELETE', path, 'DELETE /api/orders/:id');
    if (res.status === 204) m.cancelled.add(o.id);
    else if (res.status !== 400 && !isOutage(res.status)) m.violation(`DELETE ${path} (own order) answered ${res.status} ${show(res.body)}`);
  }
  toString(): string {
    return `u${this.user}.cancel(#${this.pick}, ${this.spelling.kind})`;
  }
}

export class ViewOrders extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spelling: IdSpelling,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    m.countCommand('view orders');
    const mine = ownOrders(m, this.user);
    const res = await r.call<OrderBody[]>(m, this.user, 'GET', '/api/orders', 'GET /api/orders');
    if (res.status === 200) {
      const listed = new Set(res.body.map((o) => o.id));
      for (const o of mine) if (!listed.has(o.id)) m.violation(`order ${o.id} (201) is missing from its buyer's GET /api/orders`);
      for (const o of res.body) if (!CANONICAL_ID.test(o.ticket?.id ?? '')) m.violation(`order ${o.id} lists ticket id ${show(o.ticket?.id)}`);
    } else if (!isOutage(res.status)) m.violation(`GET /api/orders answered ${res.status}`);

    const own = choose(mine, this.pick);
    if (own) {
      const one = await r.call<OrderBody>(m, this.user, 'GET', `/api/orders/${spellParam(own.id, this.spelling)}`, 'GET /api/orders/:id');
      if (one.status === 200 && one.body.id !== own.id) m.violation(`GET /api/orders/${spellParam(own.id, this.spelling)} answered order ${show(one.body.id)}`);
      else if (one.status !== 200 && !isOutage(one.status)) m.violation(`GET of own order ${own.id} (${this.spelling.kind}) answered ${one.status}`);
    }
    // Someone else's order is not shown.
    const theirs = choose([...m.orders.values()].filter((o) => o.buyer !== this.user), this.pick);
    if (theirs) {
      const peek = await r.call(m, this.user, 'GET', `/api/orders/${spellParam(theirs.id, this.spelling)}`, 'GET /api/orders/:id');
      if (peek.status === 200) m.violation(`user ${this.user} can read user ${theirs.buyer}'s order ${theirs.id}`);
    }
  }
  toString(): string {
    return `u${this.user}.viewOrders(#${this.pick}, ${this.spelling.kind})`;
  }
}

/** Leaves the user's unpaid orders to run out: the order window, the grace period and a sweep. */
export class WaitPastExpiry extends UserCommand {
  async run(m: Model): Promise<void> {
    m.countCommand('wait past expiry');
    await sleep((WINDOW_SECONDS + EXPIRY_GRACE_SECONDS + 2 * SWEEP_INTERVAL_SECONDS) * 1000 + 500);
  }
  toString(): string {
    return `u${this.user}.waitPastExpiry()`;
  }
}
