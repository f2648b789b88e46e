import { durableName, OrderStatus } from '@ticketing/common';
import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { orderEvents, ordersTestOptions, outboxDrained, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_events'));
const app = env.app();

async function newOrder() {
  const ticket = await seedTicket();
  const res = await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: ticket.id }).expect(201);
  return { order: res.body as { id: string; version: number; userId: string }, ticket };
}

const stored = (id: string) => Order.findById(id).lean();

/** The orders consumer of `subject` has handled (acked) everything stored so far. */
async function caughtUp(stream: string, subject: string): Promise<boolean> {
  const info = await env.bus.jsm.consumers.info(stream, durableName('orders', subject));
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

const payment = (orderId: string) => ({ id: randomObjectId(), orderId, stripeId: `pi_${randomObjectId()}`, version: 0 as const });

describe('payment.created', () => {
  it('completes the order (version 1) and publishes order.completed for the payments replica', async () => {
    const { order, ticket } = await newOrder();
    await env.publisher.publish('payment.created', payment(order.id));

    await eventually(async () => (await stored(order.id))?.status === OrderStatus.Complete);
    expect(await stored(order.id)).toMatchObject({ status: 'complete', version: 1, reservationKey: ticket.id });
    const completed = await eventually(async () => ((await orderEvents(env, 'order.completed', order.id)).length ? orderEvents(env, 'order.completed', order.id) : undefined));
    expect(completed.map((e) => [e.msgId, e.data])).toEqual([[`order.completed:${order.id}:1`, { id: order.id, version: 1, ticket: { id: ticket.id }, userId: order.userId }]]);
  });

  it('a second payment.created for a complete order changes nothing', async () => {
    const { order } = await newOrder();
    await env.publisher.publish('payment.created', payment(order.id));
    await eventually(async () => (await stored(order.id))?.status === OrderStatus.Complete);
    await env.publisher.publish('payment.created', payment(order.id));
    await eventually(() => caughtUp('PAYMENTS', 'payment.created'));

    expect(await stored(order.id)).toMatchObject({ status: 'complete', version: 1 });
    await eventually(outboxDrained);
    expect(await orderEvents(env, 'order.completed', order.id)).toHaveLength(1);
  });

  it('a payment for an order cancelled meanwhile: the order stays cancelled; nobody is asked to refund (payments releases the hold)', async () => {
    const { order } = await newOrder();
    await env.publisher.publish('expiration.complete', { orderId: order.id });
    await eventually(async () => (await stored(order.id))?.status === OrderStatus.Cancelled);

    const paid = payment(order.id);
    await env.publisher.publish('payment.created', paid);
    const logged = await eventually(() => env.logs.find((l) => l.paymentId === paid.id));
    expect(logged).toMatchObject({ level: 'info', orderId: order.id, outcome: 'cancelled', msg: expect.stringMatching(/releases the hold/) });
    await eventually(() => caughtUp('PAYMENTS', 'payment.created'));
    expect(env.logs.filter((l) => l.orderId === order.id && (l.level === 'error' || /refund/i.test(l.msg)))).toEqual([]);
    expect(await stored(order.id)).toMatchObject({ status: 'cancelled', version: 1 });
    expect(await orderEvents(env, 'order.completed', order.id)).toEqual([]);
  });
});

describe('expiration.complete', () => {
  it('cancels an unpaid order, frees its ticket and publishes order.cancelled once, even when redelivered', async () => {
    const { order, ticket } = await newOrder();
    await env.publisher.publish('expiration.complete', { orderId: order.id });
    await eventually(async () => (await stored(order.id))?.status === OrderStatus.Cancelled);
    expect(await stored(order.id)).toMatchObject({ version: 1, reservationKey: `released:${order.id}`, cancelReason: 'expired' });

    await env.publisher.publish('expiration.complete', { orderId: order.id }, `again-${order.id}`);
    await eventually(() => caughtUp('EXPIRATION', 'expiration.complete'));
    await eventually(outboxDrained);
    const cancelled = await orderEvents(env, 'order.cancelled', order.id);
    expect(cancelled.map((e) => e.data)).toEqual([{ id: order.id, version: 1, ticket: { id: ticket.id, orderSeq: 1 }, userId: order.userId }]);
  });

  it('leaves a complete order complete, with no event', async () => {
    const { order } = await newOrder();
    await env.publisher.publish('payment.created', payment(order.id));
    await eventually(async () => (await stored(order.id))?.status === OrderStatus.Complete);

    await env.publisher.publish('expiration.complete', { orderId: order.id });
    await eventually(() => caughtUp('EXPIRATION', 'expiration.complete'));
    expect(await stored(order.id)).toMatchObject({ status: 'complete', version: 1 });
    await eventually(outboxDrained);
    expect(await orderEvents(env, 'order.cancelled', order.id)).toEqual([]);
  });

  // Last on purpose: its event keeps being redelivered (until dead-lettered), so the
  // expiration consumer is never "caught up" again in this file.
  it('an unknown order is not acked: the event is retried', async () => {
    const orderId = randomObjectId();
    await env.publisher.publish('expiration.complete', { orderId });
    const retries = await eventually(() => {
      const lines = env.logs.filter((l) => l.msg === 'event not handled, will retry' && String((l.err as { message?: string })?.message).includes(orderId));
      return lines.length >= 2 ? lines : undefined;
    });
    expect(retries[1].deliveries).toBeGreaterThan(1);
  });
});
