import type { OutboxEntry } from '@ticketing/common';
import { eventually, signin, sleep, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { orderEvents, ordersTestOptions, outboxDrained, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_outbox'));
const app = env.app();

describe('order events survive a broker outage', () => {
  it('an order placed and cancelled while NATS is down: both events are published once NATS is back', async () => {
    const buyer = signin();
    const ticket = await seedTicket();
    await env.nats.stop();
    let orderId: string;
    try {
      orderId = (await request(app).post('/api/orders').set('Cookie', buyer).send({ ticketId: ticket.id }).expect(201)).body.id;
      await request(app).delete(`/api/orders/${orderId}`).set('Cookie', buyer).expect(204);
      await sleep(500); // the relay tries, fails, and keeps the entries
      const pending = await Order.findById(orderId).lean<{ outbox: OutboxEntry[] }>();
      expect(pending!.outbox.map((e) => e.id)).toEqual([`order.created:${orderId}:0`, `order.cancelled:${orderId}:1`]);
    } finally {
      await env.nats.start();
    }

    await eventually(outboxDrained, { timeoutMs: 30_000 });
    expect((await orderEvents(env, 'order.created', orderId)).map((e) => e.data.version)).toEqual([0]);
    expect((await orderEvents(env, 'order.cancelled', orderId)).map((e) => e.data.version)).toEqual([1]);
  });
});
