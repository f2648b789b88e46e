import { durableName, OrderStatus } from '@ticketing/common';
import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { Ticket } from '../src/models/ticket';
import { orderEvents, ordersTestOptions, outboxDrained, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_routes'));
const WINDOW_SECONDS = 60;
const app = env.app({ env: { EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS) } });

const placeOrder = (cookie: string[], ticketId: unknown) => request(app).post('/api/orders').set('Cookie', cookie).send({ ticketId });

describe('POST /api/orders', () => {
  it('401 when not signed in', async () => {
    const ticket = await seedTicket();
    const res = await request(app).post('/api/orders').send({ ticketId: ticket.id }).expect(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  });

  it('400 for a missing or malformed ticket id', async () => {
    const cookie = signin();
    for (const ticketId of [undefined, '', 'abc', 123, { id: 'x' }, 'zzzzzzzzzzzzzzzzzzzzzzzz']) {
      const res = await placeOrder(cookie, ticketId).expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'ticketId' });
    }
  });

  it('404 for a ticket the replica does not know', async () => {
    const res = await placeOrder(signin(), randomObjectId()).expect(404);
    expect(res.body.errors[0].message).toMatch(/ticket not found/i);
  });

  it('400 for the buyer’s own ticket', async () => {
    const seller = randomObjectId();
    const ticket = await seedTicket({ userId: seller });
    const res = await placeOrder(signin({ id: seller }), ticket.id).expect(400);
    expect(res.body.errors[0].message).toBe('You cannot buy your own ticket');
    expect(await Order.countDocuments()).toBe(0);
  });

  it('201 reserves the ticket and records order.created (version 0) for JetStream', async () => {
    const ticket = await seedTicket({ title: 'Opera', price: 45.5 });
    const buyer = randomObjectId();
    const before = Date.now();
    const res = await placeOrder(signin({ id: buyer }), ticket.id).expect(201);
    const after = Date.now();

    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      status: 'created',
      expiresAt: expect.any(String),
      ticket: { id: ticket.id, title: 'Opera', price: 45.5 },
      userId: buyer,
      version: 0,
      createdAt: expect.any(String),
      payment: null,
    });
    const expiresAt = new Date(res.body.expiresAt).getTime();
    expect(expiresAt).toBeGreaterThanOrEqual(before + WINDOW_SECONDS * 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + WINDOW_SECONDS * 1000);

    const events = await eventually(async () => ((await orderEvents(env, 'order.created', res.body.id)).length ? orderEvents(env, 'order.created', res.body.id) : undefined));
    expect(events).toHaveLength(1);
    expect(events[0].msgId).toBe(`order.created:${res.body.id}:0`);
    expect(events[0].data).toEqual({
      id: res.body.id,
      version: 0,
      status: 'created',
      userId: buyer,
      expiresAt: res.body.expiresAt,
      // The ticket as ordered: tickets refuses the reservation if it changed since.
      ticket: { id: ticket.id, price: 45.5, title: 'Opera', version: 0, orderSeq: 1 },
    });
  });

  it('400 when the ticket is already reserved', async () => {
    const ticket = await seedTicket();
    await placeOrder(signin(), ticket.id).expect(201);
    const res = await placeOrder(signin(), ticket.id).expect(400);
    expect(res.body.errors[0].message).toBe('Ticket is already reserved');
    expect(await Order.countDocuments({ 'ticket.id': ticket.id })).toBe(1);
  });

  it('keeps the price the buyer saw even when the ticket changes later', async () => {
    const ticket = await seedTicket({ price: 10 });
    const cookie = signin();
    const { body } = await placeOrder(cookie, ticket.id).expect(201);
    await Ticket.updateOne({ _id: ticket.id }, { $set: { price: 99, version: 1 } });
    const shown = await request(app).get(`/api/orders/${body.id}`).set('Cookie', cookie).expect(200);
    expect(shown.body.ticket.price).toBe(10);
  });
});

describe('GET /api/orders', () => {
  it('401 when not signed in', async () => {
    await request(app).get('/api/orders').expect(401);
  });

  it('lists only the signed-in user’s orders, newest first, with their tickets', async () => {
    const alice = signin();
    const [t1, t2, t3] = [await seedTicket({ title: 'first' }), await seedTicket({ title: 'second' }), await seedTicket()];
    const o1 = (await placeOrder(alice, t1.id).expect(201)).body;
    const o2 = (await placeOrder(alice, t2.id).expect(201)).body;
    await placeOrder(signin(), t3.id).expect(201);

    const res = await request(app).get('/api/orders').set('Cookie', alice).expect(200);
    expect(res.body.map((o: { id: string }) => o.id)).toEqual([o2.id, o1.id]);
    expect(res.body[0].ticket).toEqual({ id: t2.id, title: 'second', price: 20 });
    expect(res.body[0]).not.toHaveProperty('outbox');
    expect(res.body[0]).not.toHaveProperty('reservationKey');
  });

  it('is empty for a user without orders', async () => {
    const res = await request(app).get('/api/orders').set('Cookie', signin()).expect(200);
    expect(res.body).toEqual([]);
  });
});

describe('GET /api/orders/:id', () => {
  it('401, 404 (malformed or absent), 403 (another user’s), 200 (own)', async () => {
    const owner = signin();
    const order = (await placeOrder(owner, (await seedTicket()).id).expect(201)).body;

    await request(app).get(`/api/orders/${order.id}`).expect(401);
    await request(app).get('/api/orders/not-an-id').set('Cookie', owner).expect(404);
    await request(app).get(`/api/orders/${randomObjectId()}`).set('Cookie', owner).expect(404);
    const forbidden = await request(app).get(`/api/orders/${order.id}`).set('Cookie', signin()).expect(403);
    expect(forbidden.body.errors).toHaveLength(1);
    const res = await request(app).get(`/api/orders/${order.id}`).set('Cookie', owner).expect(200);
    expect(res.body).toEqual(order);
  });
});

describe('DELETE /api/orders/:id', () => {
  it('401, 404 (malformed or absent), 403 (another user’s) and the order stays as it was', async () => {
    const owner = signin();
    const order = (await placeOrder(owner, (await seedTicket()).id).expect(201)).body;

    await request(app).delete(`/api/orders/${order.id}`).expect(401);
    await request(app).delete('/api/orders/nope').set('Cookie', owner).expect(404);
    await request(app).delete(`/api/orders/${randomObjectId()}`).set('Cookie', owner).expect(404);
    await request(app).delete(`/api/orders/${order.id}`).set('Cookie', signin()).expect(403);
    expect(await Order.findById(order.id).lean()).toMatchObject({ status: 'created', version: 0 });
  });

  it('204 cancels: status cancelled, version 1, order.cancelled published once; a repeat is 204 with no second event', async () => {
    const owner = signin();
    const ticket = await seedTicket();
    const order = (await placeOrder(owner, ticket.id).expect(201)).body;

    await request(app).delete(`/api/orders/${order.id}`).set('Cookie', owner).expect(204);
    const shown = await request(app).get(`/api/orders/${order.id}`).set('Cookie', owner).expect(200);
    expect(shown.body).toMatchObject({ status: 'cancelled', version: 1, cancelReason: 'buyer' });

    const cancelled = await eventually(async () => ((await orderEvents(env, 'order.cancelled', order.id)).length ? orderEvents(env, 'order.cancelled', order.id) : undefined));
    expect(cancelled.map((e) => [e.msgId, e.data])).toEqual([[`order.cancelled:${order.id}:1`, { id: order.id, version: 1, ticket: { id: ticket.id, orderSeq: 1 }, userId: order.userId }]]);

    await request(app).delete(`/api/orders/${order.id}`).set('Cookie', owner).expect(204);
    expect(await Order.findById(order.id).lean()).toMatchObject({ status: 'cancelled', version: 1, outbox: [] });
    await eventually(outboxDrained);
    expect(await orderEvents(env, 'order.cancelled', order.id)).toHaveLength(1);
  });

  it('frees the ticket: another buyer can order it after a cancellation', async () => {
    const first = signin();
    const ticket = await seedTicket();
    const order = (await placeOrder(first, ticket.id).expect(201)).body;
    await placeOrder(signin(), ticket.id).expect(400);
    await request(app).delete(`/api/orders/${order.id}`).set('Cookie', first).expect(204);

    const second = await placeOrder(signin(), ticket.id).expect(201);
    expect(second.body.ticket.id).toBe(ticket.id);
    expect(await Order.countDocuments({ 'ticket.id': ticket.id, status: OrderStatus.Created })).toBe(1);
  });

  it('400 for a completed (paid) order, which stays complete', async () => {
    const owner = signin();
    const order = (await placeOrder(owner, (await seedTicket()).id).expect(201)).body;
    await Order.updateOne({ _id: order.id }, { $set: { status: 'complete', version: 1 } });

    const res = await request(app).delete(`/api/orders/${order.id}`).set('Cookie', owner).expect(400);
    expect(res.body.errors[0].message).toMatch(/completed order cannot be cancelled/i);
    expect(await Order.findById(order.id).lean()).toMatchObject({ status: 'complete', version: 1 });
  });
});

describe('consumers', () => {
  it('the orders service consumes its subjects on durable consumers', async () => {
    const streams: Record<string, string> = {
      'ticket.created': 'TICKETS',
      'ticket.updated': 'TICKETS',
      'expiration.complete': 'EXPIRATION',
      'payment.created': 'PAYMENTS',
      'payment.captured': 'PAYMENTS',
      'payment.voided': 'PAYMENTS',
      'payment.refunded': 'PAYMENTS',
    };
    for (const [subject, stream] of Object.entries(streams)) {
      const name = durableName('orders', subject);
      const info = await env.bus.jsm.consumers.info(stream, name);
      expect(info.config.durable_name).toBe(name);
    }
  });
});
