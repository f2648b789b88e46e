import { randomBytes } from 'node:crypto';
import { REDIS_KEY_PREFIXES } from '@ticketing/common';
import { eventually, expectTooManyRequests, startRedisServer, type RedisTestServer, useServiceTestEnv } from '@ticketing/dev-servers';
import Redis from 'ioredis';
import request from 'supertest';
import type { Express } from 'express';
import { authTestOptions, buildApp, credentials, rateLimitEnv } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions('auth_ratelimit'));

const signupAs = (app: Express, ip: string, creds = credentials()) =>
  request(app).post('/api/users/signup').set('X-Forwarded-For', ip).send(creds);
const signinAs = (app: Express, ip: string, body: { email: string; password: string }) =>
  request(app).post('/api/users/signin').set('X-Forwarded-For', ip).send(body);

type Limits = { signinPerMinute: number; signinPerAddressPerMinute: number; signupPerMinute: number };
const limits = (l: Partial<Limits>): Limits => ({ signinPerMinute: 0, signinPerAddressPerMinute: 0, signupPerMinute: 0, ...l });

describe('rate limits (in memory)', () => {
  it('an attacker cannot lock the owner out: 50 failures from one address, the owner signs in from another', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signinPerMinute: 5, signinPerAddressPerMinute: 20 })) });
    const victim = credentials();
    await signupAs(app, '10.0.0.1', victim).expect(201);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await signinAs(app, '10.1.0.1', { ...victim, password: `wrong password ${i}` })).status);
    // Bounded: five guesses, then refusals.
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]));
    // The owner, from their own address, is not refused.
    await signinAs(app, '10.1.0.2', victim).expect(200);
    // The attacker still is, even with the right password, and the owner's success did not reset them.
    expectTooManyRequests(await signinAs(app, '10.1.0.1', victim));
  });

  it('per (email, address) pair: guesses from one address are bounded; other emails and addresses are unaffected', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signinPerMinute: 3 })) });
    const creds = credentials();
    const other = credentials();
    await signupAs(app, '10.0.0.1', creds).expect(201);
    await signupAs(app, '10.0.0.2', other).expect(201);
    for (let i = 0; i < 3; i++) await signinAs(app, '10.2.0.1', { ...creds, password: 'wrong password' }).expect(400);
    expectTooManyRequests(await signinAs(app, '10.2.0.1', creds));
    await signinAs(app, '10.2.0.1', other).expect(200); // another email from the same address
    await signinAs(app, '10.2.0.2', creds).expect(200); // the same email from another address
  });

  it('per client address: spraying many emails from one address is limited, whatever the email', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signinPerMinute: 3, signinPerAddressPerMinute: 3 })) });
    const victim = credentials();
    await signupAs(app, '10.0.0.1', victim).expect(201);
    for (let i = 0; i < 3; i++) await signinAs(app, '10.3.0.1', { email: `guess${i}@test.example`, password: 'password123' }).expect(400);
    expectTooManyRequests(await signinAs(app, '10.3.0.1', victim));
    await signinAs(app, '10.3.0.2', victim).expect(200); // another address still may
  });

  it('an IPv6 client counts by its /64: two addresses of one /64 share the counters, another /64 does not', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signinPerMinute: 4, signinPerAddressPerMinute: 4 })) });
    const victim = credentials();
    await signupAs(app, '10.0.0.1', victim).expect(201);
    const sameNet = ['2001:db8:4:1::1', '2001:db8:4:1:ffff:ffff:ffff:fffe', '2001:0DB8:0004:0001:0:0:0:abcd', '2001:db8:4:1:1234::9'];
    for (const ip of sameNet) await signinAs(app, ip, { ...victim, password: 'wrong password' }).expect(400);
    expectTooManyRequests(await signinAs(app, '2001:db8:4:1:5555::1', { ...victim, password: 'wrong password' }));
    // Spraying other emails from yet another address of that /64 is refused by the address limit.
    expectTooManyRequests(await signinAs(app, '2001:db8:4:1::77', { email: 'someone@test.example', password: 'password123' }));
    await signinAs(app, '2001:db8:4:2::1', victim).expect(200);
  });

  it('an IPv4-mapped IPv6 address is the IPv4 address', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signinPerAddressPerMinute: 3 })) });
    const victim = credentials();
    await signupAs(app, '10.0.0.1', victim).expect(201);
    // Three spellings of one client, three different emails: one address counter.
    await signinAs(app, '::ffff:10.5.0.1', { email: 'a@test.example', password: 'password123' }).expect(400);
    await signinAs(app, '::ffff:a05:1', { email: 'b@test.example', password: 'password123' }).expect(400);
    await signinAs(app, '10.5.0.1', { email: 'c@test.example', password: 'password123' }).expect(400);
    expectTooManyRequests(await signinAs(app, '::FFFF:10.5.0.1', victim));
    expectTooManyRequests(await signinAs(app, '10.5.0.1', victim));
    await signinAs(app, '::ffff:10.5.0.2', victim).expect(200);
  });

  it("a correct password clears only its own pair's count: the owner's typos are forgiven, the attacker's are not", async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signinPerMinute: 3 })) });
    const creds = credentials();
    await signupAs(app, '10.0.0.1', creds).expect(201);
    // Attacker at A spends the pair's budget.
    for (let i = 0; i < 3; i++) await signinAs(app, '10.6.0.1', { ...creds, password: 'wrong password' }).expect(400);
    // Owner at B: two typos, then the right password (clears B's pair) …
    await signinAs(app, '10.6.0.2', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(app, '10.6.0.2', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(app, '10.6.0.2', creds).expect(200);
    // … so B has three attempts again, while A stays refused.
    for (let i = 0; i < 3; i++) await signinAs(app, '10.6.0.2', { ...creds, password: 'wrong password' }).expect(400);
    expectTooManyRequests(await signinAs(app, '10.6.0.2', creds));
    expectTooManyRequests(await signinAs(app, '10.6.0.1', creds));
  });

  it('per address, successful sign-ins count too (credential stuffing with a leaked list)', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signinPerAddressPerMinute: 3 })) });
    const other = credentials();
    await signupAs(app, '10.0.0.2', other).expect(201);
    for (let i = 0; i < 3; i++) await signinAs(app, '10.7.0.1', other).expect(200);
    expectTooManyRequests(await signinAs(app, '10.7.0.1', other));
  });

  it('sign-ups per client address (an IPv6 client by its /64)', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({ signupPerMinute: 2 })) });
    await signupAs(app, '10.8.0.1').expect(201);
    await signupAs(app, '10.8.0.1').expect(201);
    expectTooManyRequests(await signupAs(app, '10.8.0.1'));
    await signupAs(app, '10.8.0.2').expect(201);
    await signupAs(app, '2001:db8:8::1').expect(201);
    await signupAs(app, '2001:db8:8::2').expect(201);
    expectTooManyRequests(await signupAs(app, '2001:db8:8:0:1::3'));
  });

  it('0 turns a limit off', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv(limits({})) });
    const creds = credentials();
    await signupAs(app, '10.9.0.1', creds).expect(201);
    for (let i = 0; i < 5; i++) await signupAs(app, '10.9.0.1').expect(201);
    for (let i = 0; i < 25; i++) await signinAs(app, '10.9.0.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(app, '10.9.0.1', creds).expect(200);
  });

  it('the defaults (5 per email and address, 20 per address, 20 sign-ups per minute) apply when configured', async () => {
    const { app } = buildApp(env, { env: rateLimitEnv({ signinPerMinute: 5, signinPerAddressPerMinute: 20, signupPerMinute: 20 }) });
    const creds = credentials();
    await signupAs(app, '10.10.0.1', creds).expect(201);
    for (let i = 0; i < 5; i++) await signinAs(app, '10.10.1.1', { ...creds, password: 'wrong password' }).expect(400);
    expectTooManyRequests(await signinAs(app, '10.10.1.1', creds));
    // 14 more attempts from that address with other emails reach its 20 …
    for (let i = 0; i < 14; i++) await signinAs(app, '10.10.1.1', { email: `spray${i}@test.example`, password: 'password123' }).expect(400);
    expectTooManyRequests(await signinAs(app, '10.10.1.1', { email: 'spray-last@test.example', password: 'password123' }));
  });
});

describe('rate limits shared through Redis', () => {
  let redisServer: RedisTestServer;
  const clients: Redis[] = [];
  const client = async () => {
    const c = new Redis(redisServer.urlFor('auth'), { maxRetriesPerRequest: 1 });
    c.on('error', () => undefined); // the fallback test stops the server
    await c.ping(); // ready before the first request, so no request falls back to memory
    clients.push(c);
    return c;
  };
  /** Two replicas: two apps, two Redis connections, one Redis. */
  const replicas = async (l: Partial<Limits>) => {
    // Under auth's prefix: its Redis user may touch no other key.
    const keyPrefix = `${REDIS_KEY_PREFIXES.auth}-test-${randomBytes(4).toString('hex')}`;
    const a = buildApp(env, { env: rateLimitEnv(limits(l)), resources: { redis: await client(), rateLimitKeyPrefix: keyPrefix } }).app;
    const b = buildApp(env, { env: rateLimitEnv(limits(l)), resources: { redis: await client(), rateLimitKeyPrefix: keyPrefix } }).app;
    return [a, b] as const;
  };

  beforeAll(async () => {
    redisServer = await startRedisServer();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redisServer?.destroy();
  });

  it('through Redis too, 50 failures from one address against an email do not lock its owner out', async () => {
    const [a, b] = await replicas({ signinPerMinute: 5, signinPerAddressPerMinute: 20 });
    const victim = credentials();
    await signupAs(a, '10.15.0.1', victim).expect(201);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push((await signinAs(i % 2 ? b : a, '10.15.1.1', { ...victim, password: `wrong ${i}` })).status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(45);
    await signinAs(b, '10.15.1.2', victim).expect(200);
    expectTooManyRequests(await signinAs(a, '10.15.1.1', victim));
  });

  it('two app instances share the per-pair and per-address sign-in limits', async () => {
    const [a, b] = await replicas({ signinPerMinute: 4, signinPerAddressPerMinute: 6 });
    const creds = credentials();
    await signupAs(a, '10.11.0.1', creds).expect(201);
    for (let i = 0; i < 4; i++) await signinAs(i % 2 ? b : a, '10.11.1.1', { ...creds, password: 'wrong password' }).expect(400);
    expectTooManyRequests(await signinAs(a, '10.11.1.1', creds));
    expectTooManyRequests(await signinAs(b, '10.11.1.1', creds));
    // Those six attempts spent the address's budget on both replicas.
    expectTooManyRequests(await signinAs(a, '10.11.1.1', { email: 'spray@test.example', password: 'password123' }));
    await signinAs(b, '10.11.1.2', creds).expect(200);
    // The counters really are in Redis (listed as the admin: auth's user may not run KEYS).
    const admin = new Redis(redisServer.urlFor('admin'));
    try {
      expect((await admin.keys(`${REDIS_KEY_PREFIXES.auth}-test-*`)).length).toBeGreaterThan(0);
    } finally {
      admin.disconnect();
    }
  });

  it('two app instances share the per-address sign-up limit; 0 keeps the other limit off', async () => {
    const [a, b] = await replicas({ signupPerMinute: 3 });
    await signupAs(a, '10.12.0.1').expect(201);
    await signupAs(b, '10.12.0.1').expect(201);
    await signupAs(a, '10.12.0.1').expect(201);
    expectTooManyRequests(await signupAs(b, '10.12.0.1'));
    const creds = credentials();
    await signupAs(a, '10.12.0.2', creds).expect(201);
    for (let i = 0; i < 6; i++) await signinAs(i % 2 ? a : b, '10.12.0.2', { ...creds, password: 'wrong password' }).expect(400);
  });

  it("a successful sign-in on one replica resets that pair's count for all, and no other pair's", async () => {
    const [a, b] = await replicas({ signinPerMinute: 2 });
    const creds = credentials();
    await signupAs(a, '10.13.0.1', creds).expect(201);
    await signinAs(a, '10.13.1.9', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(b, '10.13.1.9', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(a, '10.13.1.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(b, '10.13.1.1', creds).expect(200);
    await signinAs(a, '10.13.1.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(b, '10.13.1.1', { ...creds, password: 'wrong password' }).expect(400);
    expectTooManyRequests(await signinAs(a, '10.13.1.1', creds));
    expectTooManyRequests(await signinAs(b, '10.13.1.9', creds));
  });

  it('with Redis down, limits fall back to each process (still 429, never 500)', async () => {
    const [a] = await replicas({ signinPerMinute: 2 });
    const creds = credentials();
    await signupAs(a, '10.14.0.1', creds).expect(201);
    await redisServer.stop();
    await eventually(() => clients.every((c) => c.status !== 'ready'));
    await signinAs(a, '10.14.1.1', { ...creds, password: 'wrong password' }).expect(400);
    await signinAs(a, '10.14.1.1', { ...creds, password: 'wrong password' }).expect(400);
    expectTooManyRequests(await signinAs(a, '10.14.1.1', creds));
    await redisServer.start();
  });
});
