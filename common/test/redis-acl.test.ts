import Queue from 'bull';
import Redis from 'ioredis';
import { createRateLimiter, REDIS_KEY_PREFIXES, redisUrlFor } from '../src';
import { startRedisServer, type RedisTestServer } from '@ticketing/dev-servers';

let redis: RedisTestServer;
const clients: Redis[] = [];
/** A client that does not retry: a refusal is an error, not a wait. */
const client = (url: string) => {
  const c = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, enableReadyCheck: false, lazyConnect: true });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
};

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
  await redis?.destroy();
});

const QUEUE = 'order-expiration';

describe('Redis users', () => {
  it('refuses a client that does not authenticate, and a wrong password', async () => {
    const anonymous = client(redis.url);
    await expect(anonymous.ping()).rejects.toThrow(/NOAUTH/);
    await expect(anonymous.get('bull:order-expiration:id')).rejects.toThrow(/NOAUTH/);
    const guessed = client(redis.urlFor('auth').replace(/:[0-9a-f]+@/, ':guessed@'));
    await expect(guessed.ping()).rejects.toThrow(/WRONGPASS|NOAUTH/);
  });

  it("auth's user cannot read or write the expiration queue's keys, and expiration's cannot touch the rate limits", async () => {
    // A real job, scheduled by Bull as the expiration user.
    const queue = new Queue(QUEUE, redis.urlFor('expiration'));
    try {
      await queue.add({ orderId: 'o1' }, { jobId: 'o1', delay: 60_000 });
      const auth = client(redis.urlFor('auth'));
      const jobKey = `bull:${QUEUE}:o1`;
      await expect(auth.hgetall(jobKey)).rejects.toThrow(/NOPERM/);
      await expect(auth.del(jobKey)).rejects.toThrow(/NOPERM/);
      await expect(auth.zrange(`bull:${QUEUE}:delayed`, 0, -1)).rejects.toThrow(/NOPERM/);
      // Its own counters work.
      const limiter = createRateLimiter({ name: 'signin-pair', points: 1, keyPrefix: REDIS_KEY_PREFIXES.auth, store: { kind: 'redis', client: auth } })!;
      expect((await limiter.consume('k')).allowed).toBe(true);
      expect((await limiter.consume('k')).allowed).toBe(false);

      const expiration = client(redis.urlFor('expiration'));
      const counters = await client(redis.urlFor('admin')).keys(`${REDIS_KEY_PREFIXES.auth}*`);
      expect(counters.length).toBeGreaterThan(0);
      await expect(expiration.get(counters[0])).rejects.toThrow(/NOPERM/);
      await expect(expiration.set(counters[0], '0')).rejects.toThrow(/NOPERM/);
      expect(await expiration.hget(jobKey, 'data')).toContain('o1');
    } finally {
      await queue.close();
    }
  });

  it('no service user may run dangerous commands (flush, config, keys, scripts on other keys)', async () => {
    for (const user of ['auth', 'expiration'] as const) {
      const c = client(redis.urlFor(user));
      await expect(c.flushall()).rejects.toThrow(/NOPERM/);
      await expect(c.config('GET', 'requirepass')).rejects.toThrow(/NOPERM/);
      await expect(c.keys('*')).rejects.toThrow(/NOPERM/);
      await expect(c.eval("return redis.call('GET', KEYS[1])", 1, 'elsewhere')).rejects.toThrow(/NOPERM/);
    }
  });

  it('the probe user may only PING', async () => {
    const probe = client(redisUrlFor(redis.url, 'probe', 'any')); // the probe user has no password: any is accepted
    expect(await probe.ping()).toBe('PONG');
    await expect(probe.get(`${REDIS_KEY_PREFIXES.auth}x`)).rejects.toThrow(/NOPERM/);
  });
});
