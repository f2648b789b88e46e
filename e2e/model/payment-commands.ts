/** Buyers paying: good and declined cards, and paying while cancelling. */
import { sleep } from '@ticketing/dev-servers';
import { CANONICAL_ID, spell, type IdSpelling } from './inputs';
import type { Model, ModelOrder } from './model';
import type { RealSystem } from './system';
import { choose, ownOrders, show, UserCommand } from './command-support';
import type { PaymentAnswer } from '@ticketing/client/lib/api/types';

/**
 * Pays, retrying while the payments service has not heard of the order yet (404), an outage
 * (the same attempt's idempotency key makes a retry safe) or a payment in progress (409).
 */
async function pay(m: Model, r: RealSystem, o: ModelOrder, token: string, spelling: IdSpelling, retry = true): Promise<void> {
  const deadline = Math.min(o.expiresAt + 500, Date.now() + 10_000);
  if (o.deleteSentAt !== undefined) m.provokedRaces.add(o.id);
  for (;;) {
    const res = await r.call<PaymentAnswer>(m, o.buyer, 'POST', '/api/payments', 'POST /api/payments', { orderId: spell(o.id, spelling), token });
    // Whatever the answer, this request may have been authorised: its time explains a released hold.
    o.paidRequestAt = res.sentAt;
    // 201: captured (the order is complete); 202 authorised: the order decides (it may still expire or be cancelled).
    if (res.status === 201 || (res.status === 202 && res.body.status === 'authorized')) {
      if (token !== 'tok_visa') m.violation(`order ${o.id} paid (${res.status}) with the declined card ${token}`);
      if (!CANONICAL_ID.test(res.body.id)) m.violation(`payment created with a non-canonical id ${show(res.body.id)}`);
      if (res.status === 201 && res.body.status !== 'captured') m.violation(`201 payment for order ${o.id} with status ${show(res.body.status)}`);
      o.paid = true;
      m.payments.set(res.body.id, o.id);
      if (res.status === 201) m.capturedPayments.set(res.body.id, o.id);
      return;
    }
    if (res.status === 202) {
      m.violation(`order ${o.id}: ${token} answered 202 ${show(res.body)}`);
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
