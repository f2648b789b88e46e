import { randomBytes } from 'node:crypto';
import { eventually, startRedisServer, useTestDatabase, type TestServer } from '@ticketing/common/testing';
import Redis from 'ioredis';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp, credentials } from './helpers';

useTestDatabase('auth_ratelimit');

const signupAs = (app: Express, ip: string, creds = credentials()) =>
  request(app).post('/api/users/signup').set('X-Forwarded-For', ip).send(creds);
const signinAs = (app: Express, ip: string, body: { email: string; password: string }) =>
  request(app).post('/api/users/signin').set('X-Forwarded-For', ip).send(body);

function expectTooMany(res: request.Response) {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/too many/i) }] });
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('rate limits (in memory)', () => {
  it('sign-in attempts per email: the limit holds from every address; 429 with Retry-After', async () => {
    const { app } = buildApp({ rateLimits: { signinPerMinute: 3, signupPerMinute: 0 } });
    const creds = credentials();
    await signupAs(app, '10.0.0.1', creds).expect(201);
    for (let i = 0; i < 3; i++) await signinAs(app, `10.1.0.${i}`, { ...creds, password: 'wrong password' }).expect(400);
    // The right password from a fresh address is still refused: the email's budget is spent.
    expectTooMany(await signinAs(app, '10.1.0.99', creds));
    // Another email from a fresh address is unaffected.
    const other = credentials();
    await signupAs(app, '10.0.0.2', other).expect(201);
    await signinAs(app, '10.1.1.1', other).expect(200);
  });

  it('sign-in attempts per client address: spraying many emails from one address is limited', async () => {
    const { app } = buildApp({ rateLimits: { signinPerMinute: 3, signupPerMinute: 0 } });
    const victim = credentials();
    await signupAs(app, '10.0.0.1', victim).expect(201);
    for (let i = 0; i < 3; i++) await signinAs(app, '10.2.0.1', { email: `guess${i}@test.example`, password: 'password123' }).expect(400);
    expectTooMany(await signinAs(app, '10.2.0.1', victim));
    await signinAs(app, '10.2.0.2', victim).expect(200); // another address still may
  });

  it('counts successful sign-ins per address, but a success resets the per-email count', async () => {
    const { app } = buildApp({ rateLimits: { signinPerMinute: 3, signupPerMinute: 0 } });
    const creds = credentials();
    await signupAs(app, '10.0.0.1', creds).expect(201);
    // Two failures, then a success (resets the email's count) …
    await signinAs(app, '10.3.0.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(app, '10.3.0.2', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(app, '10.3.0.3', creds).expect(200);
    // … so three more attempts on this email are allowed before the fourth is refused.
    for (let i = 0; i < 3; i++) await signinAs(app, `10.3.1.${i}`, { ...creds, password: 'wrong password' }).expect(400);
    expectTooMany(await signinAs(app, '10.3.1.9', creds));
    // Per address, successes count too.
    const other = credentials();
    await signupAs(app, '10.0.0.2', other).expect(201);
    for (let i = 0; i < 3; i++) await signinAs(app, '10.3.2.1', other).expect(200);
    expectTooMany(await signinAs(app, '10.3.2.1', other));
  });

  it('sign-ups per client address', async () => {
    const { app } = buildApp({ rateLimits: { signinPerMinute: 0, signupPerMinute: 2 } });
    await signupAs(app, '10.4.0.1').expect(201);
    await signupAs(app, '10.4.0.1').expect(201);
    expectTooMany(await signupAs(app, '10.4.0.1'));
    await signupAs(app, '10.4.0.2').expect(201);
  });

  it('0 turns a limit off', async () => {
    const { app } = buildApp({ rateLimits: { signinPerMinute: 0, signupPerMinute: 0 } });
    const creds = credentials();
    await signupAs(app, '10.5.0.1', creds).expect(201);
    for (let i = 0; i < 5; i++) await signupAs(app, '10.5.0.1').expect(201);
    for (let i = 0; i < 6; i++) await signinAs(app, '10.5.0.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(app, '10.5.0.1', creds).expect(200);
  });

  it('the defaults (5 sign-ins, 20 sign-ups per minute) apply when configured', async () => {
    const { app } = buildApp({ rateLimits: { signinPerMinute: 5, signupPerMinute: 20 } });
    const creds = credentials();
    await signupAs(app, '10.6.0.1', creds).expect(201);
    for (let i = 0; i < 5; i++) await signinAs(app, `10.6.1.${i}`, { ...creds, password: 'wrong password' }).expect(400);
    expectTooMany(await signinAs(app, '10.6.1.9', creds));
  });
});

describe('rate limits shared through Redis', () => {
  let redisServer: TestServer;
  const clients: Redis[] = [];
  const client = async () => {
    const c = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    c.on('error', () => undefined); // the fallback test stops the server
    await c.ping(); // ready before the first request, so no request falls back to memory
    clients.push(c);
    return c;
  };
  /** Two replicas: two apps, two Redis connections, one Redis. */
  const replicas = async (limits: { signinPerMinute: number; signupPerMinute: number }) => {
    const keyPrefix = `test-${randomBytes(4).toString('hex')}`;
    const a = buildApp({ rateLimits: { ...limits, redis: await client(), keyPrefix } }).app;
    const b = buildApp({ rateLimits: { ...limits, redis: await client(), keyPrefix } }).app;
    return [a, b] as const;
  };

  beforeAll(async () => {
    redisServer = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redisServer?.destroy();
  });

  it('two app instances share the per-email sign-in limit', async () => {
    const [a, b] = await replicas({ signinPerMinute: 4, signupPerMinute: 0 });
    const creds = credentials();
    await signupAs(a, '10.7.0.1', creds).expect(201);
    for (let i = 0; i < 4; i++) await signinAs(i % 2 ? b : a, `10.7.1.${i}`, { ...creds, password: 'wrong password' }).expect(400);
    expectTooMany(await signinAs(a, '10.7.1.98', creds));
    expectTooMany(await signinAs(b, '10.7.1.99', creds));
    // The counters really are in Redis.
    expect((await clients[0].keys('test-*')).length).toBeGreaterThan(0);
  });

  it('two app instances share the per-address sign-up limit; 0 keeps the other limit off', async () => {
    const [a, b] = await replicas({ signinPerMinute: 0, signupPerMinute: 3 });
    await signupAs(a, '10.8.0.1').expect(201);
    await signupAs(b, '10.8.0.1').expect(201);
    await signupAs(a, '10.8.0.1').expect(201);
    expectTooMany(await signupAs(b, '10.8.0.1'));
    const creds = credentials();
    await signupAs(a, '10.8.0.2', creds).expect(201);
    for (let i = 0; i < 6; i++) await signinAs(i % 2 ? a : b, '10.8.0.2', { ...creds, password: 'wrong password' }).expect(400);
  });

  it('a successful sign-in on one replica resets the email count for all', async () => {
    const [a, b] = await replicas({ signinPerMinute: 2, signupPerMinute: 0 });
    const creds = credentials();
    await signupAs(a, '10.9.0.1', creds).expect(201);
    await signinAs(a, '10.9.1.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(b, '10.9.1.2', creds).expect(200);
    await signinAs(a, '10.9.1.3', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(b, '10.9.1.4', { ...creds, password: 'wrong password' }).expect(400);
    expectTooMany(await signinAs(a, '10.9.1.5', creds));
  });

  it('with Redis down, limits fall back to each process (still 429, never 500)', async () => {
    const [a] = await replicas({ signinPerMinute: 2, signupPerMinute: 0 });
    const creds = credentials();
    await signupAs(a, '10.10.0.1', creds).expect(201);
    await redisServer.stop();
    await eventually(() => clients.every((c) => c.status !== 'ready'));
    await signinAs(a, '10.10.1.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(a, '10.10.1.2', { ...creds, password: 'wrong password' }).expect(400);
    expectTooMany(await signinAs(a, '10.10.1.3', creds));
    await redisServer.start();
  });
});
