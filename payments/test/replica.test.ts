import { OrderStatus, Subjects, type EventData } from '@ticketing/common';
import { eventually, randomObjectId, useServiceTestEnv } from '@ticketing/dev-servers';
import { amountInCents, Order } from '../src/models';
import { delivered, handled, paymentsTestOptions } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));

const created = (id: string, over: Partial<EventData<'order.created'>> = {}): EventData<'order.created'> => ({
  id,
  version: 0,
  status: OrderStatus.Created,
  userId: 'buyer-1',
  expiresAt: '2030-01-01T00:15:00.000Z',
  ticket: { id: randomObjectId(), price: 19.99 },
  ...over,
});
const cancelled = (id: string, version: number) => ({ id, version, ticket: { id: randomObjectId() } });

describe('order replica', () => {
  it('order.created records the order with its exact price, owner and expiry', async () => {
    const id = randomObjectId();
    await env.publisher.publish(Subjects.OrderCreated, created(id, { ticket: { id: randomObjectId(), price: 1234.56 } }));
    const order = (await eventually(() => Order.findById(id).lean()));
    expect(order).toMatchObject({ userId: 'buyer-1', status: 'created', price: 1234.56, version: 0, paymentAttempts: 0 });
    expect(order.expiresAt.toISOString()).toBe('2030-01-01T00:15:00.000Z');
    expect(amountInCents(order.price)).toBe(123456);
    expect(amountInCents(19.99)).toBe(1999);
    expect(amountInCents(0.07)).toBe(7);
  });

  it('order.cancelled (v1) arriving before order.created (v0) waits, then the replica ends cancelled at v1', async () => {
    const id = randomObjectId();
    const early = await env.publisher.publish(Subjects.OrderCancelled, cancelled(id, 1));
    await delivered(env, Subjects.OrderCancelled, early.seq);
    expect(await Order.findById(id).lean()).toBeNull(); // not applied to a replica that does not exist

    await env.publisher.publish(Subjects.OrderCreated, created(id));
    await eventually(async () => (await Order.findById(id).lean())?.version === 1);
    await handled(env, Subjects.OrderCancelled, early.seq);
    expect(await Order.findById(id).lean()).toMatchObject({ status: 'cancelled', version: 1, price: 19.99 });
  });

  it('an event ahead of the replica waits for the missing version', async () => {
    const id = randomObjectId();
    await env.publisher.publish(Subjects.OrderCreated, created(id));
    await eventually(() => Order.findById(id).lean());
    const ahead = await env.publisher.publish(Subjects.OrderCompleted, { id, version: 2, ticket: { id: randomObjectId() } });
    await delivered(env, Subjects.OrderCompleted, ahead.seq);
    expect(await Order.findById(id).lean()).toMatchObject({ status: 'created', version: 0 });

    await env.publisher.publish(Subjects.OrderCancelled, cancelled(id, 1));
    await handled(env, Subjects.OrderCompleted, ahead.seq);
    expect(await Order.findById(id).lean()).toMatchObject({ status: 'complete', version: 2 });
  });

  it('duplicates (redelivered or re-published events) are acked and change nothing', async () => {
    const id = randomObjectId();
    await env.publisher.publish(Subjects.OrderCreated, created(id));
    await env.publisher.publish(Subjects.OrderCancelled, cancelled(id, 1));
    await eventually(async () => (await Order.findById(id).lean())?.version === 1);
    const before = await Order.findById(id).lean();

    // New message ids, so JetStream stores them again and our handlers see them again.
    const dupCreated = await env.publisher.publish(Subjects.OrderCreated, created(id, { userId: 'someone-else' }), `dup-c-${id}`);
    const dupCancelled = await env.publisher.publish(Subjects.OrderCancelled, cancelled(id, 1), `dup-x-${id}`);
    const oldCreated = await env.publisher.publish(Subjects.OrderCreated, created(id), `dup-c2-${id}`);
    await handled(env, Subjects.OrderCreated, Math.max(dupCreated.seq, oldCreated.seq));
    await handled(env, Subjects.OrderCancelled, dupCancelled.seq);

    expect(await Order.findById(id).lean()).toEqual(before);
    expect(await Order.countDocuments({ _id: id })).toBe(1);
  });

  it('order.completed after order.created marks the order complete', async () => {
    const id = randomObjectId();
    await env.publisher.publish(Subjects.OrderCreated, created(id));
    await env.publisher.publish(Subjects.OrderCompleted, { id, version: 1, ticket: { id: randomObjectId() } });
    await eventually(async () => (await Order.findById(id).lean())?.status === OrderStatus.Complete);
    expect(await Order.findById(id).lean()).toMatchObject({ status: 'complete', version: 1 });
  });
});
