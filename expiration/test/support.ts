import { Publisher, type EventData } from '@ticketing/common';
import Redis from 'ioredis';
import {
  connectTestJetStream,
  randomObjectId,
  startNatsServer,
  startRedisServer,
  storedEvents,
  type NatsTestServer,
  type RedisTestServer,
  type TestJetStream,
} from '@ticketing/dev-servers';
import { expirationConfigSchema, queueSettingsFrom } from '../src/config';
import { ExpirationQueue, type ExpirationQueueOptions } from '../src/queue/expiration-queue';

export interface WorkerTestEnv {
  nats: NatsTestServer;
  redis: RedisTestServer;
  /** The admin's connection: reads streams back, and publishes other services' events as their owners (bus.ownersPublisher). */
  bus: TestJetStream;
  /** The worker's own NATS user. */
  worker: TestJetStream;
  /** A worker's queue on the test Redis, closed after the test unless closed before. */
  openQueue(opts?: Partial<ExpirationQueueOptions>): ExpirationQueue;
  /** FLUSHALL, as the admin (the worker's user may not). */
  flushRedis(): Promise<void>;
  /** expiration.complete events stored on JetStream for `orderId`. */
  expirations(orderId: string): Promise<{ msgId?: string; data: { orderId: string } }[]>;
}

/** A real nats-server (JetStream) and a real redis-server (append-only) for this test file. */
export function useWorkerTestEnv(): WorkerTestEnv {
  const open: ExpirationQueue[] = [];
  const env = {} as WorkerTestEnv;
  env.openQueue = (opts = {}) => {
    const redisUrl = env.redis.urlFor('expiration');
    const queue = new ExpirationQueue({
      // The configuration's defaults, with retries short enough for a test.
      ...queueSettingsFrom(expirationConfigSchema.parse({ REDIS_URL: redisUrl })),
      redisUrl,
      publisher: new Publisher(env.worker.js, 1_000),
      logger: env.bus.logger,
      retryDelayMs: 100,
      maxRetryDelayMs: 500,
      ...opts,
    });
    open.push(queue);
    return queue;
  };
  env.flushRedis = async () => {
    const admin = new Redis(env.redis.urlFor('admin'));
    try {
      await admin.flushall();
    } finally {
      admin.disconnect();
    }
  };
  env.expirations = async (orderId) => {
    const events = await storedEvents<{ orderId: string }>(env.bus.jsm, 'expiration.complete');
    return events.filter((e) => e.data.orderId === orderId);
  };

  beforeAll(async () => {
    [env.nats, env.redis] = await Promise.all([startNatsServer(), startRedisServer()]);
    env.bus = await connectTestJetStream(env.nats);
    env.worker = await env.bus.as('expiration');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close().catch(() => undefined)));
  });
  afterAll(async () => {
    await env.bus?.close();
    await Promise.all([env.nats?.destroy(), env.redis?.destroy()]);
  });
  return env;
}

export function orderCreated(over: Partial<EventData<'order.created'>> = {}): EventData<'order.created'> {
  return {
    id: randomObjectId(),
    version: 0,
    status: 'created' as EventData<'order.created'>['status'],
    userId: randomObjectId(),
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    ticket: { id: randomObjectId(), price: 20 },
    ...over,
  };
}

export const inMs = (ms: number) => new Date(Date.now() + ms);
