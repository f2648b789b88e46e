import { randomObjectId, signin } from '@ticketing/dev-servers';
import mongoose from 'mongoose';
import request from 'supertest';
import type { Express } from 'express';
import { seedTicket, testApp, useOrdersTestEnv } from './support';

useOrdersTestEnv('orders_ratelimit');

const placeOrder = (app: Express, cookie: string[], ticketId: string) => request(app).post('/api/orders').set('Cookie', cookie).send({ ticketId });

function expectTooMany(res: request.Response) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/too many/i) }] });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('order creation rate limit (RATE_LIMIT_ORDERS_PER_MIN)', () => {
  it('the N+1th order attempt of a user within a minute is a 429 with Retry-After; other users are unaffected', async () => {
    const app = testApp({ ordersPerMinute: 3 });
    const buyer = signin({ id: randomObjectId() });
    for (let i = 0; i < 3; i++) await placeOrder(app, buyer, (await seedTicket()).id).expect(201);
    const ticket = await seedTicket();
    expectTooMany(await placeOrder(app, buyer, ticket.id));
    // Invalid and unknown-ticket attempts are refused too: the limit comes before the work.
    expectTooMany(await placeOrder(app, buyer, 'not-an-id'));
    await placeOrder(app, signin({ id: randomObjectId() }), ticket.id).expect(201);
  });

  it('counts in MongoDB, so replicas share one budget per user', async () => {
    const [a, b] = [testApp({ ordersPerMinute: 4 }), testApp({ ordersPerMinute: 4 })];
    const buyer = signin({ id: randomObjectId() });
    for (let i = 0; i < 4; i++) await placeOrder(i % 2 ? b : a, buyer, randomObjectId()).expect(404);
    expectTooMany(await placeOrder(a, buyer, randomObjectId()));
    expectTooMany(await placeOrder(b, buyer, randomObjectId()));
    expect(await mongoose.connection.db!.collection('rate_limits').countDocuments()).toBeGreaterThan(0);
  });

  it('0 turns the limit off', async () => {
    const app = testApp({ ordersPerMinute: 0 });
    const buyer = signin({ id: randomObjectId() });
    for (let i = 0; i < 15; i++) await placeOrder(app, buyer, randomObjectId()).expect(404);
    await placeOrder(app, buyer, (await seedTicket()).id).expect(201);
  });
});
