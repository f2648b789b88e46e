import { createPublicKey, type KeyObject } from 'node:crypto';
import { intFromEnv, keyIdFromEnv, sessionConfigSchema, urlFromEnv } from '@ticketing/common';
import { es256PrivateKeyFromEnv } from '@ticketing/common/signing';
import { z } from 'zod';

/** An optional URL variable: absent or empty means "not configured". */
const optionalUrl = (protocols: string[]) =>
  z.preprocess((v) => (v === '' ? undefined : v), urlFromEnv(protocols).optional());

const pemOf = (key: KeyObject) => (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'pem' }).toString();

/**
 * The auth service's own environment (runService adds PORT, NODE_ENV, LOG_LEVEL, NATS_URL,
 * MONGO_URL, SHUTDOWN_TIMEOUT_MS). Auth alone holds the session signing key; its public half
 * must be in SESSION_PUBLIC_KEYS under SESSION_SIGNING_KEY_ID, or the other services would
 * refuse every session it issues — so the service refuses to start instead.
 */
export const authConfigSchema = sessionConfigSchema
  .extend({
    SESSION_SIGNING_KEY: es256PrivateKeyFromEnv,
    /** Goes into each token's `kid` header; a rotation introduces a new id. */
    SESSION_SIGNING_KEY_ID: keyIdFromEnv,
    /** Session token lifetime (exp − iat); the browser renews it through the refresh route. */
    SESSION_LIFETIME_SECONDS: intFromEnv(15 * 60, { min: 1, max: 24 * 3600 }),
    /** How long one sign-in can be renewed (its refresh-token family), from sign-in. */
    REFRESH_LIFETIME_SECONDS: intFromEnv(7 * 24 * 3600, { min: 60, max: 90 * 24 * 3600 }),
    /** Sign-in attempts per minute for one email from one client address; 0 = no limit. */
    RATE_LIMIT_SIGNIN_PER_MIN: intFromEnv(5),
    /** Sign-in attempts per minute from one client address, any email; 0 = no limit. */
    RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: intFromEnv(20),
    /** Sign-ups per minute per client address; 0 = no limit. */
    RATE_LIMIT_SIGNUP_PER_MIN: intFromEnv(20),
    /** Shared rate-limit store for several replicas; in-memory (per process) when unset. */
    REDIS_URL: optionalUrl(['redis', 'rediss']),
  })
  .superRefine((config, ctx) => {
    const published = config.SESSION_PUBLIC_KEYS.get(config.SESSION_SIGNING_KEY_ID);
    if (!published || pemOf(published) !== pemOf(config.SESSION_SIGNING_KEY)) {
      ctx.issues.push({
        code: 'custom',
        path: ['SESSION_PUBLIC_KEYS'],
        message: `must hold the public key of SESSION_SIGNING_KEY under its id SESSION_SIGNING_KEY_ID`,
        input: '(hidden)',
      });
    }
  });

export type AuthConfig = z.infer<typeof authConfigSchema>;
