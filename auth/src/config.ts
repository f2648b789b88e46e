import { intFromEnv, jwtConfigSchema, urlFromEnv } from '@ticketing/common';
import { z } from 'zod';

/** An optional URL variable: absent or empty means "not configured". */
const optionalUrl = (protocols: string[]) =>
  z.preprocess((v) => (v === '' ? undefined : v), urlFromEnv(protocols).optional());

/**
 * The auth service's own environment (runService adds PORT, NODE_ENV, LOG_LEVEL, NATS_URL,
 * MONGO_URL, SHUTDOWN_TIMEOUT_MS). JWT_KEY is required: without it the service refuses to start.
 */
export const authConfigSchema = jwtConfigSchema.extend({
  /** Session lifetime: the JWT's exp − iat and the cookie's Max-Age. */
  JWT_LIFETIME_SECONDS: intFromEnv(3600, { min: 60, max: 30 * 24 * 3600 }),
  /** Sign-in attempts per minute for one email from one client address; 0 = no limit. */
  RATE_LIMIT_SIGNIN_PER_MIN: intFromEnv(5),
  /** Sign-in attempts per minute from one client address, any email; 0 = no limit. */
  RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: intFromEnv(20),
  /** Sign-ups per minute per client address; 0 = no limit. */
  RATE_LIMIT_SIGNUP_PER_MIN: intFromEnv(20),
  /** Shared rate-limit store for several replicas; in-memory (per process) when unset. */
  REDIS_URL: optionalUrl(['redis', 'rediss']),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;
