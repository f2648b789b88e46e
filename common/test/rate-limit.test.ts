import express from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import { errorHandler } from '../src/middlewares/error-handler';
import { createRateLimiter, rateLimit } from '../src/http/rate-limit';
import { testMongoUrl, uniqueDbName } from '@ticketing/dev-servers';
import pino from 'pino';

const consumeTimes = async (limiter: NonNullable<ReturnType<typeof createRateLimiter>>, key: string, n: number) => {
  const allowed: boolean[] = [];
  for (let i = 0; i < n; i++) allowed.push((await limiter.consume(key)).allowed);
  return allowed;
};

describe('createRateLimiter', () => {
  it('0 points is no limiter at all', () => {
    expect(createRateLimiter({ name: 'off', points: 0 })).toBeUndefined();
  });

  it('in memory: counts per key, refuses over the limit with the wait, reset forgets a key', async () => {
    const limiter = createRateLimiter({ name: 'mem', points: 2 })!;
    expect(await consumeTimes(limiter, 'a', 3)).toEqual([true, true, false]);
    const refused = await limiter.consume('a');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect((await limiter.consume('b')).allowed).toBe(true);
    await limiter.reset('a');
    expect((await limiter.consume('a')).allowed).toBe(true);
  });

  describe('in MongoDB', () => {
    const dbName = uniqueDbName('ratelimit');
    const connection = mongoose.createConnection();
    afterAll(async () => {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    });

    it('before the connection opens each process counts for itself; once open, replicas share the collection', async () => {
      const early = createRateLimiter({ name: 'early', points: 2, store: { kind: 'mongo', connection } })!;
      expect(await consumeTimes(early, 'u', 3)).toEqual([true, true, false]);
      await connection.openUri(testMongoUrl(), { dbName });
      const [a, b] = [1, 2].map(() => createRateLimiter({ name: 'shared', points: 3, store: { kind: 'mongo', connection } })!);
      await new Promise((r) => setImmediate(r)); // the limiters receive the open connection
      expect([...(await consumeTimes(a, 'u', 2)), ...(await consumeTimes(b, 'u', 2))]).toEqual([true, true, true, false]);
      expect(await connection.collection('rate_limits').countDocuments({ key: 'rl-shared:u' })).toBe(1);
    });
  });
});

describe('rateLimit middleware', () => {
  const appWith = (points: number) => {
    const app = express();
    app.use(rateLimit({ limiter: createRateLimiter({ name: `mw-${points}`, points }), key: (req) => req.query.user as string, logger: pino({ level: 'silent' }) }));
    app.get('/', (_req, res) => void res.send({ ok: true }));
    app.use(errorHandler(pino({ level: 'silent' })));
    return app;
  };

  it('answers 429 in the error contract with Retry-After once a key is over the limit', async () => {
    const app = appWith(1);
    await request(app).get('/?user=a').expect(200);
    const res = await request(app).get('/?user=a').expect(429);
    expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/too many/i) }] });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    await request(app).get('/?user=b').expect(200);
  });

  it('with the limit off, passes everything', async () => {
    const app = appWith(0);
    for (let i = 0; i < 5; i++) await request(app).get('/?user=a').expect(200);
  });
});
