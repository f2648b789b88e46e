import type { ServiceDeps, ServiceParts } from '@ticketing/common';
import type { ExpirationConfig } from './config';
import { orderCreatedListener } from './events/listeners/order-created-listener';
import { ExpirationQueue } from './queue/expiration-queue';

/**
 * The worker's parts for runService: the order.created listener feeding the Bull queue, a
 * Redis readiness check, and closing the queue on shutdown. No HTTP API of its own.
 */
export function expirationWorker({ config, logger, publisher }: ServiceDeps<ExpirationConfig>): ServiceParts {
  const expirations = new ExpirationQueue({
    redisUrl: config.REDIS_URL,
    publisher,
    logger,
    attempts: config.EXPIRATION_JOB_ATTEMPTS,
    retryDelayMs: config.EXPIRATION_RETRY_DELAY_MS,
    maxRetryDelayMs: config.EXPIRATION_MAX_RETRY_DELAY_MS,
    concurrency: config.EXPIRATION_CONCURRENCY,
  });
  return {
    listeners: [orderCreatedListener(expirations)],
    readiness: { redis: () => expirations.ping() },
    stop: () => expirations.close(),
  };
}
