import { answersPing } from '@ticketing/common';
import Redis from 'ioredis';

/** The Redis client of the shared rate-limit store. */
export function createRedisClient(url: string): Redis {
  // Commands wait for a reconnect at most once; the limiter falls back to memory meanwhile.
  return new Redis(url, { maxRetriesPerRequest: 1, connectionName: 'auth-rate-limits' });
}

/** Readiness: connected and answering PING within `timeoutMs`. */
export async function redisIsReady(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  return redis.status === 'ready' && answersPing(redis, timeoutMs);
}
