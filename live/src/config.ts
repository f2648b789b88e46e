import { intFromEnv, sessionConfigSchema } from '@ticketing/common';

/**
 * The live service's own variables (the common ones — PORT, NATS_URL, LOG_LEVEL, NODE_ENV,
 * SHUTDOWN_TIMEOUT_MS — are added by runService; it has no database).
 */
export const liveConfigSchema = sessionConfigSchema.extend({
  /** Seconds between heartbeat comments on an idle stream (keeps proxies from closing it). */
  LIVE_HEARTBEAT_SECONDS: intFromEnv(15, { min: 1, max: 3600 }),
  /** Recent messages per stream kept in memory to replay a reconnect without reading the stream. */
  LIVE_REPLAY_BUFFER: intFromEnv(1000, { min: 0, max: 1_000_000 }),
});
