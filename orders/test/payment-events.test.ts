/**
 * The payment events (created = authorised, captured, voided, refunded) recorded on the order
 * for the buyer to see, against real JetStream: each applied, replays and out-of-order events
 * change nothing, the order's version never moves for them, an unknown order is retried.
 */
import { durableName, OrderStatus, Subjects, type EventData } from '@ticketing/common';
import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { ordersTestOptions, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_payment_events'));
const app = env.app();

async function newOrder() {
  const buyer = signin({ id: randomObjectId() });
  const ticket = await seedTicket();
  const res = await request(app).post('/api/orders').set('Cookie', buyer).send({ ticketId: ticket.id }).expect(201);
  return { id: (res.body as { id: string }).id, buyer };
}

/** The order as its buyer reads it. */
const shown = async (order: { id: string; buyer: string[] }) =>
  (await request(app).get(`/api/orders/${order.id}`).set('Cookie', order.buyer).expect(200)).body as Record<string, unknown>;

const stored = (id: string) => Order.findById(id).lean();

/** The orders consumer of `subject` has handled (acked) everything stored so far. */
async function caughtUp(subject: string): Promise<boolean> {
  const info = await env.bus.jsm.consumers.info('PAYMENTS', durableName('orders', subject));
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

/** One payment's four events, as the payments service would publish them. */
function paymentOf(orderId: string, amount = 2000) {
  const base = { id: randomObjectId(), orderId, stripeId: `pi_${randomObjectId()}` };
  return {
    id: base.id,
    created: { ...base, version: 0 as const, amount },
    captured: { ...base, version: 1 as const, amount } satisfies EventData<typeof Subjects.PaymentCaptured>,
    voided: { ...base, version: 1 as const } satisfies EventData<typeof Subjects.PaymentVoided>,
    refunded: { ...base, version: 2 as const, amount, refundId: `re_${randomObjectId()}` } satisfies EventData<typeof Subjects.PaymentRefunded>,
  };
}

const paymentStatus = async (orderId: string, paymentId: string) => (await stored(orderId))?.payments?.[paymentId]?.status;

describe('payment events on the order', () => {
  it('payment.created completes the order and shows the payment as authorized; captured then shows it charged', async () => {
    const order = await newOrder();
    expect(await shown(order)).toMatchObject({ status: 'created', payment: null });

    const pay = paymentOf(order.id, 2000);
    await env.publisher.publish('payment.created', pay.created);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'authorized');
    expect(await shown(order)).toMatchObject({ status: 'complete', version: 1, payment: { id: pay.id, status: 'authorized', amount: 2000 } });

    await env.publisher.publish('payment.captured', pay.captured);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'captured');
    const body = await shown(order);
    expect(body).toMatchObject({ status: 'complete', version: 1, payment: { id: pay.id, status: 'captured', amount: 2000 } });
    // The entries' internals (versions, timestamps) stay inside.
    expect(body).not.toHaveProperty('payments');
    expect(Object.keys(body.payment as object).sort()).toEqual(['amount', 'id', 'status']);

    const list = await request(app).get('/api/orders').set('Cookie', order.buyer).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: order.id, payment: { id: pay.id, status: 'captured', amount: 2000 } })]);
  });

  it('a cancelled order: payment.created changes nothing but the record, voided shows the hold released; the version stays', async () => {
    const order = await newOrder();
    await request(app).delete(`/api/orders/${order.id}`).set('Cookie', order.buyer).expect(204);
    const pay = paymentOf(order.id);

    await env.publisher.publish('payment.created', pay.created);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'authorized');
    await env.publisher.publish('payment.voided', pay.voided);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'voided');

    expect(await shown(order)).toMatchObject({ status: 'cancelled', version: 1, cancelReason: 'buyer', payment: { id: pay.id, status: 'voided', amount: 2000 } });
  });

  it('refunded after captured shows the refund', async () => {
    const order = await newOrder();
    const pay = paymentOf(order.id, 1550);
    await env.publisher.publish('payment.created', pay.created);
    await env.publisher.publish('payment.captured', pay.captured);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'captured');
    await env.publisher.publish('payment.refunded', pay.refunded);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'refunded');

    expect((await shown(order)).payment).toEqual({ id: pay.id, status: 'refunded', amount: 1550 });
    expect(await stored(order.id)).toMatchObject({ version: 1 });
  });

  it('out of order (refunded, then captured, then created): ends refunded, and the late events change nothing', async () => {
    const order = await newOrder();
    const pay = paymentOf(order.id, 900);

    await env.publisher.publish('payment.refunded', pay.refunded);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'refunded');
    const first = (await stored(order.id))!.payments;

    await env.publisher.publish('payment.captured', pay.captured);
    await env.publisher.publish('payment.created', pay.created);
    // payment.created still decides the order (it completes: it was open).
    await eventually(async () => (await stored(order.id))?.status === OrderStatus.Complete);
    await eventually(async () => (await caughtUp('payment.captured')) && caughtUp('payment.created'));

    const after = await stored(order.id);
    expect(after!.payments).toEqual(first);
    expect(after).toMatchObject({ version: 1 });
    expect((await shown(order)).payment).toEqual({ id: pay.id, status: 'refunded', amount: 900 });
  });

  it('a redelivered event (another message id, so JetStream does not drop it) changes nothing', async () => {
    const order = await newOrder();
    const pay = paymentOf(order.id);
    await env.publisher.publish('payment.created', pay.created);
    await env.publisher.publish('payment.voided', pay.voided);
    await eventually(async () => (await paymentStatus(order.id, pay.id)) === 'voided' && (await caughtUp('payment.created')));
    const before = await stored(order.id);
    expect(before).toMatchObject({ status: 'complete', version: 1 });

    await env.publisher.publish('payment.voided', pay.voided, `again-voided-${pay.id}`);
    await env.publisher.publish('payment.created', pay.created, `again-created-${pay.id}`);
    await eventually(async () => (await caughtUp('payment.voided')) && caughtUp('payment.created'));

    const after = await stored(order.id);
    expect(after!.payments).toEqual(before!.payments);
    expect(after!.version).toBe(before!.version);
    expect(env.logs.filter((l) => l.paymentId === pay.id && l.msg.startsWith('payment news already recorded'))).toHaveLength(1);
    expect(env.logs.filter((l) => l.paymentId === pay.id && l.msg === 'payment applied').map((l) => l.outcome)).toEqual(['completed', 'already-complete']);
  });

  it('a second payment of the same order is recorded beside the first; the buyer sees the one that matters', async () => {
    const order = await newOrder();
    const accepted = paymentOf(order.id, 2000);
    const extra = paymentOf(order.id, 2000);
    await env.publisher.publish('payment.created', accepted.created);
    await env.publisher.publish('payment.captured', accepted.captured);
    await env.publisher.publish('payment.voided', extra.voided);
    await eventually(async () => (await paymentStatus(order.id, accepted.id)) === 'captured' && (await paymentStatus(order.id, extra.id)) === 'voided');

    expect((await shown(order)).payment).toEqual({ id: accepted.id, status: 'captured', amount: 2000 });
  });

  it('captured / voided / refunded for an order not known yet wait (retried, never dead-lettered) and land once it exists', async () => {
    const orderId = randomObjectId();
    const pay = paymentOf(orderId, 700);
    await env.publisher.publish('payment.captured', pay.captured);
    const retried = await eventually(() => {
      const lines = env.logs.filter((l) => l.msg === 'event not handled, will retry' && String((l.err as { message?: string })?.message).includes(orderId));
      return lines.length >= 2 ? lines : undefined;
    });
    expect(retried[1]).toMatchObject({ kind: 'not-yet' });

    // The order appears (in real life it cannot be missing for long: payments learns of orders from us).
    const buyerId = randomObjectId();
    await Order.create({
      _id: orderId,
      userId: buyerId,
      status: OrderStatus.Complete,
      expiresAt: new Date(),
      ticket: { id: randomObjectId(), title: 'Late', price: 7 },
      version: 1,
      reservationKey: randomObjectId(),
    });
    await eventually(async () => (await paymentStatus(orderId, pay.id)) === 'captured', { timeoutMs: 30_000 });
    expect(await stored(orderId)).toMatchObject({ version: 1, payments: { [pay.id]: expect.objectContaining({ status: 'captured', amount: 700, version: 1 }) } });
  });
});
