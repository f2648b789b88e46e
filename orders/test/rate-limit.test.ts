import { expectTooManyRequests, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import mongoose from 'mongoose';
import request from 'supertest';
import type { Express } from 'express';
import { ordersTestOptions, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_ratelimit'));

const placeOrder = (app: Express, cookie: string[], ticketId: string) => request(app).post('/api/orders').set('Cookie', cookie).send({ ticketId });

describe('order creation rate limit (RATE_LIMIT_ORDERS_PER_MIN)', () => {
  it('the N+1th order attempt of a user within a minute is a 429 with Retry-After; other users are unaffected', async () => {
    const app = env.app({ env: { RATE_LIMIT_ORDERS_PER_MIN: '3' } });
    const buyer = signin({ id: randomObjectId() });
    for (let i = 0; i < 3; i++) await placeOrder(app, buyer, (await seedTicket()).id).expect(201);
    const ticket = await seedTicket();
    expectTooManyRequests(await placeOrder(app, buyer, ticket.id));
    // Invalid and unknown-ticket attempts are refused too: the limit comes before the work.
    expectTooManyRequests(await placeOrder(app, buyer, 'not-an-id'));
    await placeOrder(app, signin({ id: randomObjectId() }), ticket.id).expect(201);
  });

  it('counts in MongoDB, so replicas share one budget per user', async () => {
    const [a, b] = [env.app({ env: { RATE_LIMIT_ORDERS_PER_MIN: '4' } }), env.app({ env: { RATE_LIMIT_ORDERS_PER_MIN: '4' } })];
    const buyer = signin({ id: randomObjectId() });
    for (let i = 0; i < 4; i++) await placeOrder(i % 2 ? b : a, buyer, randomObjectId()).expect(404);
    expectTooManyRequests(await placeOrder(a, buyer, randomObjectId()));
    expectTooManyRequests(await placeOrder(b, buyer, randomObjectId()));
    expect(await mongoose.connection.db!.collection('rate_limits').countDocuments()).toBeGreaterThan(0);
  });

  it('0 turns the limit off', async () => {
    const app = env.app({ env: { RATE_LIMIT_ORDERS_PER_MIN: '0' } });
    const buyer = signin({ id: randomObjectId() });
    for (let i = 0; i < 15; i++) await placeOrder(app, buyer, randomObjectId()).expect(404);
    await placeOrder(app, buyer, (await seedTicket()).id).expect(201);
  });
});
