import { OrderStatus } from '@ticketing/common';
import { eventually, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { completeOrder } from '../../orders/src/domain/complete-order';
import { expirySweeper } from '../../orders/src/domain/expiry-sweeper';
import { orderPolicyFrom } from '../../orders/src/config';
import { Order } from '../../orders/src/models/order';
import { useExpirationWorker } from './expiration-worker';
import { orderEvents, ordersTestOptions, seedTicket } from '../../orders/test/support';
import { ordersService } from '../../orders/src/service';

const worker = useExpirationWorker();
const sweepers: ReturnType<typeof expirySweeper>[] = [];
// Declared before the orders env so that the sweepers stop first (hooks run in order).
afterAll(async () => {
  await Promise.all(sweepers.map((s) => s.stop()));
});
const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_sweep'));
worker.startWith(env);
const WINDOW_SECONDS = 2;
const app = env.app({ env: { EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS) } });

describe('reconciliation: unpaid orders whose expiry timer was lost', () => {
  it('Redis flushed while orders are pending: they still end cancelled (reason expired) with one order.cancelled each; a paid one is untouched', async () => {
    const tickets = await Promise.all(Array.from({ length: 4 }, () => seedTicket()));
    const buyer = signin();
    const orders = [];
    for (const t of tickets) orders.push((await request(app).post('/api/orders').set('Cookie', buyer).send({ ticketId: t.id }).expect(201)).body);
    // Every expiry job exists, then Redis loses them all.
    for (const o of orders) await eventually(() => worker.expirations.queue.getJob(o.id));
    await worker.flushRedis();
    expect(await Promise.all(orders.map((o) => worker.expirations.queue.getJob(o.id)))).toEqual([null, null, null, null]);
    const [paid, ...unpaid] = orders;
    expect(await completeOrder(paid.id)).toBe('completed');

    // Two replicas sweeping at once, each round every 200 ms, 1 s of grace.
    for (let i = 0; i < 2; i++) sweepers.push(expirySweeper({ logger: env.bus.logger, intervalSeconds: 0.2, graceSeconds: 1, handover: orderPolicyFrom(env.config()) }));
    sweepers.forEach((s) => s.start());

    for (const o of unpaid) {
      const shown = await eventually(
        async () => {
          const res = await request(app).get(`/api/orders/${o.id}`).set('Cookie', buyer).expect(200);
          return res.body.status === 'cancelled' ? res.body : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(shown).toMatchObject({ status: 'cancelled', cancelReason: 'expired', version: 1 });
      await eventually(async () => (await orderEvents(env, 'order.cancelled', o.id)).length === 1);
    }
    // A few more rounds change nothing: one event per order, the paid order complete.
    const rounds = await Promise.all(sweepers.map((s) => s.sweep()));
    expect(rounds).toEqual([0, 0]);
    for (const o of unpaid) expect(await orderEvents(env, 'order.cancelled', o.id)).toHaveLength(1);
    expect(await Order.findById(paid.id).lean()).toMatchObject({ status: OrderStatus.Complete, version: 1 });
    expect(await orderEvents(env, 'order.cancelled', paid.id)).toEqual([]);

    // Their tickets can be bought again; the paid one cannot.
    for (const o of unpaid) await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: o.ticket.id }).expect(201);
    await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: paid.ticket.id }).expect(400);
    await Promise.all(sweepers.splice(0).map((s) => s.stop()));
  });

  it('leaves alone unpaid orders still inside their grace period', async () => {
    const ticket = await seedTicket();
    const placed = (await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: ticket.id }).expect(201)).body;
    await Order.updateOne({ _id: placed.id }, { $set: { expiresAt: new Date(Date.now() - 5_000) } });
    const sweeper = expirySweeper({ logger: env.bus.logger, intervalSeconds: 0, graceSeconds: 3_600, handover: orderPolicyFrom(env.config()) });
    expect(await sweeper.sweep()).toBe(0);
    expect(await Order.findById(placed.id).lean()).toMatchObject({ status: OrderStatus.Created });
  });
});
