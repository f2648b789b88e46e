import { eventually, signin, storedEvents, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { useExpirationWorker } from './expiration-worker';
import { orderEvents, ordersTestOptions, seedTicket } from '../../orders/test/support';
import { ordersService } from '../../orders/src/service';

const worker = useExpirationWorker();
const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_expiry'));
worker.startWith(env);
const WINDOW_SECONDS = 2;
const app = env.app({ env: { EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS) } });

describe('an unpaid order expires (orders + expiration worker on real JetStream and Redis)', () => {
  it('order → expiry job → expiration.complete → order cancelled → order.cancelled; the ticket is for sale again', async () => {
    const buyer = signin();
    const ticket = await seedTicket();
    const order = (await request(app).post('/api/orders').set('Cookie', buyer).send({ ticketId: ticket.id }).expect(201)).body;

    // The worker scheduled a job for this order, due at expiresAt.
    const job = await eventually(() => worker.expirations.queue.getJob(order.id));
    expect(job.data).toEqual({ orderId: order.id });

    const shown = await eventually(
      async () => {
        const res = await request(app).get(`/api/orders/${order.id}`).set('Cookie', buyer).expect(200);
        return res.body.status === 'cancelled' ? res.body : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(shown).toMatchObject({ status: 'cancelled', version: 1, cancelReason: 'expired' });

    const expired = (await storedEvents<{ orderId: string }>(env.bus.jsm, 'expiration.complete')).filter(
      (e) => e.data.orderId === order.id,
    );
    expect(expired.map((e) => e.msgId)).toEqual([`expiration.complete:${order.id}`]);

    const cancelled = await eventually(async () => ((await orderEvents(env, 'order.cancelled', order.id)).length ? orderEvents(env, 'order.cancelled', order.id) : undefined));
    expect(cancelled.map((e) => e.data)).toEqual([{ id: order.id, version: 1, ticket: { id: ticket.id, orderSeq: 1 }, userId: order.userId }]);

    const again = await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: ticket.id }).expect(201);
    expect(again.body).toMatchObject({ status: 'created', ticket: { id: ticket.id } });
  });
});
