import { Publisher, startEventRuntime, type EventRuntime } from '@ticketing/common';
import { startRedisServer, type RedisTestServer, type ServiceTestEnv } from '@ticketing/dev-servers';
import Redis from 'ioredis';
// The expiration worker's real pieces, run in this process against the orders test's nats-server.
import { expirationConfigSchema, queueSettingsFrom } from '../../expiration/src/config';
import { expirationListeners } from '../../expiration/src/events/listeners';
import { ExpirationQueue } from '../../expiration/src/queue/expiration-queue';

type OrdersTestEnv = Pick<ServiceTestEnv<unknown, object>, 'bus'>;

export interface ExpirationWorker {
  /** The worker's queue (valid once the file's beforeAll hooks ran). */
  readonly expirations: ExpirationQueue;
  /** FLUSHALL as Redis's admin (the worker's user may not): Redis lost every job. */
  flushRedis(): Promise<void>;
  /** Starts Redis and the worker on `env`'s JetStream: call after the orders' useServiceTestEnv. */
  startWith(env: OrdersTestEnv): void;
}

/**
 * The expiration worker beside an orders test. Call it BEFORE the orders' useServiceTestEnv: afterAll hooks
 * run in the order they are declared, so the worker stops before the orders env it uses.
 */
export function useExpirationWorker(): ExpirationWorker {
  let redis: RedisTestServer | undefined;
  let queue: ExpirationQueue | undefined;
  let runtime: EventRuntime | undefined;
  afterAll(async () => {
    await runtime?.stop();
    await queue?.close();
    await redis?.destroy();
  });
  return {
    get expirations() {
      if (!queue) throw new Error('expiration worker not started: call startWith(env) at the top of the file');
      return queue;
    },
    async flushRedis() {
      const admin = new Redis(redis!.urlFor('admin'));
      try {
        await admin.flushall();
      } finally {
        admin.disconnect();
      }
    },
    startWith(env) {
      beforeAll(async () => {
        redis = await startRedisServer();
        // As the worker runs: its own Redis user and NATS user.
        const expiration = await env.bus.as('expiration');
        const redisUrl = redis.urlFor('expiration');
        const settings = queueSettingsFrom(expirationConfigSchema.parse({ REDIS_URL: redisUrl }));
        queue = new ExpirationQueue({ ...settings, redisUrl, publisher: new Publisher(expiration.js), logger: env.bus.logger });
        runtime = await startEventRuntime({
          service: 'expiration',
          js: expiration.js,
          jsm: expiration.jsm,
          logger: env.bus.logger,
          listeners: expirationListeners(queue),
        });
      });
    },
  };
}
