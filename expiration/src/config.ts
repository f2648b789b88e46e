import { intFromEnv, urlFromEnv } from '@ticketing/common';
import { z } from 'zod';

/** The expiration worker's own variables (runService adds PORT, NATS_URL, LOG_LEVEL, …). */
export const expirationConfigSchema = z.object({
  /** Redis holding the Bull jobs; give it append-only persistence so jobs survive a restart. */
  REDIS_URL: urlFromEnv(['redis', 'rediss']),
  /** Attempts to publish expiration.complete before a job is left in Bull's failed set. */
  EXPIRATION_JOB_ATTEMPTS: intFromEnv(100, { min: 1 }),
  /** First retry delay of a failed job; doubles per attempt up to the maximum. */
  EXPIRATION_RETRY_DELAY_MS: intFromEnv(1_000, { min: 1 }),
  EXPIRATION_MAX_RETRY_DELAY_MS: intFromEnv(60_000, { min: 1 }),
  /** Jobs one process runs at once. */
  EXPIRATION_CONCURRENCY: intFromEnv(10, { min: 1, max: 1_000 }),
});

export type ExpirationConfig = z.infer<typeof expirationConfigSchema>;

/** The queue's retry and concurrency settings (ExpirationQueueOptions) from the configuration. */
export function queueSettingsFrom(config: ExpirationConfig) {
  return {
    attempts: config.EXPIRATION_JOB_ATTEMPTS,
    retryDelayMs: config.EXPIRATION_RETRY_DELAY_MS,
    maxRetryDelayMs: config.EXPIRATION_MAX_RETRY_DELAY_MS,
    concurrency: config.EXPIRATION_CONCURRENCY,
  };
}
