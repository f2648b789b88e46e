/**
 * recordPayment's one conditional write under concurrency (as listeners on several replicas
 * would run it), and which payment the buyer is shown.
 */
import { OrderStatus } from '@ticketing/common';
import { randomObjectId, useTestDatabase } from '@ticketing/dev-servers';
import { recordPayment, type PaymentNews } from '../src/domain/record-payment';
import { Order, type OrderPaymentStatus } from '../src/models/order';
import { relevantPayment } from '../src/routes/order-view';

useTestDatabase('orders_record_payment');

async function storedOrder(status = OrderStatus.Complete) {
  const order = await Order.create({
    userId: randomObjectId(),
    status,
    expiresAt: new Date(),
    ticket: { id: randomObjectId(), title: 'Gig', price: 20 },
    version: 1,
    reservationKey: randomObjectId(),
  });
  return String(order._id);
}

function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('recordPayment', () => {
  it('many concurrent writers, events in any order and repeated: each payment ends at its newest news, the order version untouched', async () => {
    for (let round = 0; round < 20; round++) {
      const orderId = await storedOrder();
      const a = randomObjectId();
      const b = randomObjectId();
      const news: PaymentNews[] = [
        { id: a, status: 'authorized', version: 0, amount: 2000 },
        { id: a, status: 'captured', version: 1, amount: 2000 },
        { id: a, status: 'refunded', version: 2, amount: 1999 },
        { id: b, status: 'authorized', version: 0, amount: 2000 },
        { id: b, status: 'voided', version: 1 },
      ];
      const outcomes = await Promise.all(shuffled([...news, ...news]).map((n) => recordPayment(orderId, n)));
      expect(outcomes.every((o) => o === 'recorded' || o === 'stale')).toBe(true);

      const order = await Order.findById(orderId).lean();
      expect(order).toMatchObject({ version: 1, status: 'complete' });
      expect(order!.payments![a]).toMatchObject({ status: 'refunded', version: 2, amount: 1999 });
      // voided carries no amount: b keeps the authorisation's when that was recorded first.
      expect(order!.payments![b]).toMatchObject({ status: 'voided', version: 1 });
    }
  });

  it('says when the order is unknown, and writes nothing', async () => {
    const orderId = randomObjectId();
    expect(await recordPayment(orderId, { id: randomObjectId(), status: 'captured', version: 1, amount: 5 })).toBe('order-not-found');
    expect(await Order.exists({ _id: orderId })).toBeNull();
  });
});

describe('relevantPayment (what the buyer sees)', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  it('null without payments', () => {
    expect(relevantPayment('created', undefined)).toBeNull();
    expect(relevantPayment('created', {})).toBeNull();
  });

  it('money that moved over a hold over a released hold; a complete order shows its capture, another its refund', () => {
    type Entry = { status: OrderPaymentStatus; amount: number; updatedAt: Date };
    const payments: Record<string, Entry> = {
      v: { status: 'voided', amount: 100, updatedAt: at(5) },
      h: { status: 'authorized', amount: 100, updatedAt: at(4) },
      c: { status: 'captured', amount: 100, updatedAt: at(1) },
      r: { status: 'refunded', amount: 100, updatedAt: at(2) },
    };
    expect(relevantPayment('complete', payments)).toEqual({ id: 'c', status: 'captured', amount: 100 });
    expect(relevantPayment('cancelled', payments)).toEqual({ id: 'r', status: 'refunded', amount: 100 });
    expect(relevantPayment('awaiting:payment', new Map<string, Entry>([['v', payments.v], ['h', payments.h]]))).toEqual({ id: 'h', status: 'authorized', amount: 100 });
    expect(relevantPayment('cancelled', { v: payments.v })).toEqual({ id: 'v', status: 'voided', amount: 100 });
  });

  it('among equals the latest news; no amount when none was told', () => {
    const payments = { old: { status: 'voided' as const, updatedAt: at(1) }, recent: { status: 'voided' as const, updatedAt: at(9) } };
    expect(relevantPayment('cancelled', payments)).toEqual({ id: 'recent', status: 'voided' });
  });
});
