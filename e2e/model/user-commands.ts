import type fc from 'fast-check';
import { sleep } from '@ticketing/common/testing';
import { EXPIRY_GRACE_SECONDS, SWEEP_INTERVAL_SECONDS, WINDOW_SECONDS } from './config';
import { bodyVerdict, CANONICAL_ID, spell, spellParam, type IdSpelling, type PriceInput, type TitleInput } from './inputs';
import type { Model, ModelOrder, ModelTicket } from './model';
import type { RealSystem, Timed } from './system';

interface TicketBody {
  id: string;
  title: string;
  price: number;
  version: number;
}
interface OrderBody {
  id: string;
  status: string;
  expiresAt: string;
  ticket: { id: string; price: number };
}

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 120);
const is4xx = (s: number) => s >= 400 && s < 500;
/** An outage's answer (no answer, 5xx): whether it was excused is checked by RealSystem.call. */
const isOutage = (s: number) => s === 0 || s >= 500;

/** `pick` chooses among `items`: mostly the newest few (where buyers crowd), otherwise any. */
function choose<T>(items: T[], pick: number): T | undefined {
  if (!items.length) return undefined;
  const recent = items.slice(-4);
  return pick % 10 < 7 ? recent[pick % recent.length] : items[pick % items.length];
}

/** A command one user runs; every command is applicable (it picks among what exists when it runs). */
abstract class UserCommand implements fc.AsyncCommand<Model, RealSystem> {
  constructor(readonly user: number) {}
  check(): boolean {
    return true;
  }
  abstract run(m: Model, r: RealSystem): Promise<void>;
  abstract toString(): string;
}

export class ListTickets extends UserCommand {
  async run(m: Model, r: RealSystem): Promise<void> {
    m.countCommand('list tickets');
    const res = await r.call<TicketBody[]>(m, this.user, 'GET', '/api/tickets?limit=200', 'GET /api/tickets');
    if (res.status !== 200) {
      if (!isOutage(res.status)) m.violation(`GET /api/tickets answered ${res.status}`);
      return;
    }
    for (const t of res.body) {
      if (!CANONICAL_ID.test(t.id)) m.violation(`listing shows a non-canonical ticket id ${show(t.id)}`);
      const known = m.ticket(t.id);
      if (!known) continue;
      // What the listing shows is the acknowledged content, or an edit sent since (answered or not).
      if (t.title !== known.ackedTitle && !known.unsureLaterTitles.includes(t.title)) {
        m.violation(`listing shows ticket ${t.id} titled ${show(t.title)}; acknowledged ${show(known.ackedTitle)}`);
      }
      if (t.price !== known.ackedPrice && !known.unsureLaterPrices.includes(t.price)) {
        m.violation(`listing shows ticket ${t.id} at ${t.price}; acknowledged ${known.ackedPrice}`);
      }
    }
  }
  toString(): string {
    return `u${this.user}.listTickets()`;
  }
}

export class CreateTicket extends UserCommand {
  constructor(
    user: number,
    readonly title: TitleInput,
    readonly price: PriceInput,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    m.countCommand('create ticket');
    const verdict = bodyVerdict(this.title, this.price);
    const body = { title: this.title.title, price: this.price.price };
    const res = await r.call<TicketBody>(m, this.user, 'POST', '/api/tickets', 'POST /api/tickets', body);
    if (isOutage(res.status)) return;
    if (res.status !== 201) {
      if (verdict === 'valid') m.violation(`a valid ticket ${show(body)} was refused: ${res.status} ${show(res.body)}`);
      else if (!is4xx(res.status)) m.violation(`POST /api/tickets ${show(body)} answered ${res.status}`);
      return;
    }
    if (verdict === 'invalid') m.violation(`an invalid ticket ${show(body)} was accepted (201)`);
    const t = res.body;
    if (!CANONICAL_ID.test(t.id)) m.violation(`ticket created with a non-canonical id ${show(t.id)}`);
    if (t.title !== body.title) m.violation(`ticket ${t.id}: sent title ${show(body.title)}, stored ${show(t.title)}`);
    if (verdict !== 'invalid' && t.price !== this.price.value) m.violation(`ticket ${t.id}: sent price ${show(body.price)}, stored ${show(t.price)}`);
    m.tickets.push({
      id: t.id,
      owner: this.user,
      ackedTitle: t.title,
      ackedPrice: t.price,
      ackedVersion: t.version,
      unsureLaterTitles: [],
      unsureLaterPrices: [],
      editsSentAt: [],
      listedAt: Date.now(),
    });
    // What was accepted reads back unchanged.
    const back = await r.call<TicketBody>(m, this.user, 'GET', `/api/tickets/${t.id}`, 'GET /api/tickets/:id');
    if (back.status === 200 && (back.body.title !== t.title || back.body.price !== t.price)) {
      m.violation(`ticket ${t.id} reads back as ${show({ title: back.body.title, price: back.body.price })}, acknowledged ${show({ title: t.title, price: t.price })}`);
    } else if (back.status !== 200 && !isOutage(back.status)) {
      m.violation(`ticket ${t.id} just created (201) answers GET with ${back.status}`);
    }
  }
  toString(): string {
    return `u${this.user}.createTicket(${show(this.title.title)} [${this.title.verdict}], ${show(this.price.price)} [${this.price.verdict}])`;
  }
}

export class EditTicket extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spelling: IdSpelling,
    readonly title: TitleInput,
    readonly price: PriceInput,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const t = choose(m.tickets.filter((x) => x.owner === this.user), this.pick);
    if (!t) return;
    m.countCommand('edit ticket');
    const verdict = bodyVerdict(this.title, this.price);
    const body = { title: this.title.title, price: this.price.price };
    // Until the answer says otherwise, the edit may apply.
    const sentAt = Date.now();
    const maybe = verdict !== 'invalid';
    if (maybe) {
      t.unsureLaterTitles.push(body.title);
      t.unsureLaterPrices.push(this.price.value);
      t.editsSentAt.push(sentAt);
    }
    const res = await r.call<TicketBody>(m, this.user, 'PUT', `/api/tickets/${spellParam(t.id, this.spelling)}`, 'PUT /api/tickets/:id', body);
    const withdraw = () => {
      if (!maybe) return;
      t.unsureLaterTitles.splice(t.unsureLaterTitles.lastIndexOf(body.title), 1);
      t.unsureLaterPrices.splice(t.unsureLaterPrices.lastIndexOf(this.price.value), 1);
      t.editsSentAt.splice(t.editsSentAt.lastIndexOf(sentAt), 1);
    };
    if (isOutage(res.status)) return;
    if (res.status === 200) {
      if (verdict === 'invalid') m.violation(`an invalid edit ${show(body)} of ticket ${t.id} was accepted`);
      if (res.body.title !== body.title || res.body.price !== this.price.value) {
        m.violation(`edit of ticket ${t.id}: sent ${show(body)}, answered ${show({ title: res.body.title, price: res.body.price })}`);
      }
      t.ackedTitle = res.body.title;
      t.ackedPrice = res.body.price;
      t.ackedVersion = res.body.version;
      return;
    }
    withdraw();
    // 400: invalid, or the ticket is reserved or sold; 409: a concurrent change.
    if (res.status === 400 || res.status === 409) return;
    m.violation(`PUT /api/tickets/${spellParam(t.id, this.spelling)} (own ticket) answered ${res.status} ${show(res.body)}`);
  }
  toString(): string {
    return `u${this.user}.editTicket(#${this.pick}, ${this.spelling.kind}, ${show(this.title.title)}, ${show(this.price.price)})`;
  }
}

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
 * differently: at most one may win (unless the seller's edit cancelled the winner meanwhile).
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
    if (winners.length > 1 && !edited) {
      m.violation(`${winners.length} concurrent orders won ticket ${t.id} (spellings ${this.spellings.map((s) => s.kind).join(', ')}): ${winners.map((o) => o.id).join(', ')}`);
    }
  }
  toString(): string {
    return `u${this.user}.rush(#${this.pick}, ${this.spellings.map((s) => `${s.kind}/${s.mask}`).join(' ')})`;
  }
}

function ownOrders(m: Model, user: number, also: (o: ModelOrder) => boolean = () => true): ModelOrder[] {
  return [...m.orders.values()].filter((o) => o.buyer === user && also(o));
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
    // Cancelling an order already paid for races the payment: the documented refund case.
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

/**
 * Pays, retrying while the payments service has not heard of the order yet (404), an outage
 * (the same attempt's idempotency key makes a retry safe) or a payment in progress (409).
 */
async function pay(m: Model, r: RealSystem, o: ModelOrder, token: string, spelling: IdSpelling, retry = true): Promise<void> {
  const deadline = Math.min(o.expiresAt + 500, Date.now() + 10_000);
  if (o.deleteSentAt !== undefined) m.provokedRaces.add(o.id);
  for (;;) {
    const res = await r.call<{ id: string }>(m, o.buyer, 'POST', '/api/payments', 'POST /api/payments', { orderId: spell(o.id, spelling), token });
    if (res.status === 201) {
      if (token !== 'tok_visa') m.violation(`order ${o.id} paid (201) with the declined card ${token}`);
      if (!CANONICAL_ID.test(res.body.id)) m.violation(`payment created with a non-canonical id ${show(res.body.id)}`);
      o.paid = true;
      o.paidRequestAt = res.sentAt;
      m.payments.set(res.body.id, o.id);
      return;
    }
    if (res.status === 402) {
      if (token === 'tok_visa') m.violation(`order ${o.id}: the good card was declined`);
      return;
    }
    if (res.status === 400 || res.status === 429) return; // cancelled, expired or paid; or a limit
    if (res.status === 403) {
      m.violation(`POST /api/payments for own order ${o.id} answered 403`);
      return;
    }
    if (!retry || Date.now() > deadline) return;
    await sleep(250);
  }
}

export class PayOrder extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly token: 'tok_visa' | 'tok_chargeDeclined',
    readonly spelling: IdSpelling,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const o = choose(ownOrders(m, this.user, (x) => !x.paid && !m.cancelled.has(x.id)), this.pick);
    if (!o) return;
    m.countCommand(`pay (${this.token})`);
    await pay(m, r, o, this.token, this.spelling);
  }
  toString(): string {
    return `u${this.user}.pay(#${this.pick}, ${this.token}, ${this.spelling.kind})`;
  }
}

/** A buyer who clicks "cancel" and "pay" at once. */
export class CancelWhilePaying extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const o = choose(ownOrders(m, this.user, (x) => !x.paid && !m.cancelled.has(x.id)), this.pick);
    if (!o) return;
    m.countCommand('cancel while paying');
    m.provokedRaces.add(o.id);
    o.deleteSentAt ??= Date.now();
    const [del] = await Promise.all([
      r.call(m, this.user, 'DELETE', `/api/orders/${o.id}`, 'DELETE /api/orders/:id'),
      pay(m, r, o, 'tok_visa', { kind: 'lower', mask: 0 }, false),
    ]);
    if (del.status === 204) m.cancelled.add(o.id);
  }
  toString(): string {
    return `u${this.user}.cancelWhilePaying(#${this.pick})`;
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
