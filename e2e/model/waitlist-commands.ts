/** Buyers in line: join a reserved ticket's waitlist, leave it, look at their place (and take an offered order). */
import { CANONICAL_ID, spell, spellParam, type IdSpelling } from './inputs';
import type { Model, ModelTicket } from './model';
import type { RealSystem } from './system';
import { choose, isOutage, show, UserCommand, type OrderBody } from './command-support';

interface Place {
  ticketId: string;
  status: string;
  position: number;
  length: number;
}
interface MyEntry {
  ticketId: string;
  status: string;
  position?: number;
  orderId?: string;
}

/** Tickets someone else holds an order for (as far as the model knows), else any ticket not the user's. */
function waitable(m: Model, user: number): ModelTicket[] {
  const held = new Set([...m.orders.values()].filter((o) => o.buyer !== user && !m.cancelled.has(o.id) && o.expiresAt > Date.now()).map((o) => o.ticketId));
  const others = m.tickets.filter((t) => t.owner !== user);
  const reserved = others.filter((t) => held.has(t.id));
  return reserved.length ? reserved : others;
}

export class JoinWaitlist extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spelling: IdSpelling,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const t = choose(waitable(m, this.user), this.pick);
    if (!t) return;
    m.countCommand('join waitlist');
    const res = await r.call<Place>(m, this.user, 'POST', '/api/orders/waitlist', 'POST /api/orders/waitlist', { ticketId: spell(t.id, this.spelling) });
    if (res.status === 201 || res.status === 200) {
      const p = res.body;
      if (p.ticketId !== t.id) m.violation(`joined the line of ${t.id}, answered for ${show(p.ticketId)}`);
      if (p.status !== 'waiting' || !(p.position >= 1) || !(p.length >= p.position)) m.violation(`join of ${t.id} answered ${show(p)}`);
      if (res.status === 201) m.waits.push({ user: this.user, ticketId: t.id, joinedAt: res.answeredAt });
      return;
    }
    // 400 available / not for sale / own / holding it; 404 not known to orders yet; 409 a join race.
    if (isOutage(res.status) || [400, 404, 409].includes(res.status)) return;
    m.violation(`POST /api/orders/waitlist (${t.id}) answered ${res.status} ${show(res.body)}`);
  }
  toString(): string {
    return `u${this.user}.joinWaitlist(#${this.pick}, ${this.spelling.kind}/${this.spelling.mask})`;
  }
}

export class LeaveWaitlist extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spelling: IdSpelling,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const w = choose(
      m.waits.filter((x) => x.user === this.user && x.leftAt === undefined),
      this.pick,
    );
    if (!w) return;
    m.countCommand('leave waitlist');
    const path = `/api/orders/waitlist/${spellParam(w.ticketId, this.spelling)}`;
    const res = await r.call(m, this.user, 'DELETE', path, 'DELETE /api/orders/waitlist/:ticketId');
    // 404: no longer waiting (offered the ticket, skipped or cleared meanwhile).
    if (res.status === 204 || res.status === 404) w.leftAt = res.answeredAt;
    else if (!isOutage(res.status)) m.violation(`DELETE ${path} answered ${res.status} ${show(res.body)}`);
  }
  toString(): string {
    return `u${this.user}.leaveWaitlist(#${this.pick}, ${this.spelling.kind})`;
  }
}

/**
 * Reads the user's entries: each join the model saw (201) is listed; an offered ticket's order
 * is the user's and holds that ticket — the model takes it on as the user's order (to pay or cancel).
 */
export class ViewWaitlist extends UserCommand {
  async run(m: Model, r: RealSystem): Promise<void> {
    m.countCommand('view waitlist');
    const res = await r.call<MyEntry[]>(m, this.user, 'GET', '/api/orders/waitlist', 'GET /api/orders/waitlist');
    if (res.status !== 200) {
      if (!isOutage(res.status)) m.violation(`GET /api/orders/waitlist answered ${res.status}`);
      return;
    }
    const listed = new Set(res.body.map((e) => e.ticketId));
    // The newest 50 are shown: the model's users join far fewer.
    for (const w of m.waits) if (w.user === this.user && !listed.has(w.ticketId)) m.violation(`waitlist entry of user ${this.user} for ${w.ticketId} (201) is missing from GET /api/orders/waitlist`);
    for (const e of res.body) {
      if (e.status === 'waiting' && !(Number(e.position) >= 1)) m.violation(`waiting entry for ${e.ticketId} shows position ${show(e.position)}`);
      if (e.status !== 'offered') continue;
      if (!e.orderId || !CANONICAL_ID.test(e.orderId)) {
        m.violation(`offered entry for ${e.ticketId} names order ${show(e.orderId)}`);
        continue;
      }
      if (m.orders.has(e.orderId)) continue;
      const order = await r.call<OrderBody & { userId?: string }>(m, this.user, 'GET', `/api/orders/${e.orderId}`, 'GET /api/orders/:id');
      if (order.status !== 200) {
        if (!isOutage(order.status)) m.violation(`the order ${e.orderId} offered to user ${this.user} answers ${order.status}`);
        continue;
      }
      if (order.body.ticket?.id !== e.ticketId) m.violation(`order ${e.orderId} offered for ticket ${e.ticketId} is for ${show(order.body.ticket?.id)}`);
      m.orders.set(e.orderId, { id: e.orderId, ticketId: e.ticketId, buyer: this.user, expiresAt: new Date(order.body.expiresAt).getTime(), paid: false });
      m.countCommand('take an offered order');
    }
  }
  toString(): string {
    return `u${this.user}.viewWaitlist()`;
  }
}
