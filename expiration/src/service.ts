import { defineService } from '@ticketing/common';
import { expirationConfigSchema, queueSettingsFrom } from './config';
import { expirationListeners } from './events/listeners';
import { ExpirationQueue } from './queue/expiration-queue';

export interface ExpirationResources {
  /** The Bull queue of expiry timers in Redis. */
  expirations: ExpirationQueue;
}

/**
 * The expiration worker: the order.created listener feeds a Bull queue whose jobs publish
 * expiration.complete when an order's window ends. No HTTP API of its own (probes only), no database.
 */
export const expirationService = defineService({
  name: 'expiration',
  config: expirationConfigSchema,
  mongo: false,
  resources: ({ config, logger, metrics, publisher }): ExpirationResources => ({
    expirations: new ExpirationQueue({ redisUrl: config.REDIS_URL, publisher, logger, metrics, ...queueSettingsFrom(config) }),
  }),
  listeners: ({ expirations }) => expirationListeners(expirations),
  readiness: ({ expirations }) => ({ redis: () => expirations.ping() }),
  stop: ({ expirations }) => expirations.close(),
});
