import { buildIndexes, defineService, type ReadinessChecks } from '@ticketing/common';
import type Redis from 'ioredis';
import { authConfigSchema } from './config';
import { unknownUserHash } from './domain/password';
import { createRateLimits } from './domain/rate-limits';
import { createRedisClient, redisIsReady } from './domain/redis';
import type { SessionSettings } from './domain/session';
import { SessionFamily } from './models/session-family';
import { User } from './models/user';
import { openApiDocument } from './openapi';
import { AUTH_BODY_LIMIT } from './body-limit';
import { currentUserRouter } from './routes/current-user';
import { refreshRouter } from './routes/refresh';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';

export interface AuthResources {
  /** The shared rate-limit store (REDIS_URL); without it each process counts for itself. */
  redis?: Redis;
  /** Namespace of the rate-limit keys (tests use a fresh one per pair of apps); default auth's. */
  rateLimitKeyPrefix?: string;
}

/** Sign-up, sign-in, sessions and their refresh: the only service holding the session signing key. */
export const authService = defineService({
  name: 'auth',
  config: authConfigSchema,
  resources: ({ config, logger }): AuthResources => {
    if (!config.REDIS_URL) return {};
    const redis = createRedisClient(config.REDIS_URL);
    redis.on('error', (err) => logger.warn({ err }, 'redis error'));
    return { redis };
  },
  // The unique email index must exist before the first sign-up. createIndexes, not init():
  // init() answers every call with its first outcome, so it cannot be tried again.
  start: ({ logger }) => buildIndexes('auth', () => Promise.all([User.createIndexes(), SessionFamily.createIndexes()]), logger),
  openApi: { base: '/api/users', document: openApiDocument },
  // Credentials are tiny; anything bigger is refused with 413 before parsing.
  bodyLimit: AUTH_BODY_LIMIT,
  routers: ({ config, logger, redis, rateLimitKeyPrefix }) => {
    const session: SessionSettings = {
      signingKey: { kid: config.SESSION_SIGNING_KEY_ID, privateKey: config.SESSION_SIGNING_KEY },
      publicKeys: config.SESSION_PUBLIC_KEYS,
      lifetimeSeconds: config.SESSION_LIFETIME_SECONDS,
      refreshLifetimeSeconds: config.REFRESH_LIFETIME_SECONDS,
      secureCookies: config.NODE_ENV === 'production',
    };
    const limits = createRateLimits({
      signinPerMinute: config.RATE_LIMIT_SIGNIN_PER_MIN,
      signinPerAddressPerMinute: config.RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN,
      signupPerMinute: config.RATE_LIMIT_SIGNUP_PER_MIN,
      redis,
      keyPrefix: rateLimitKeyPrefix,
      logger,
    });
    // Prepare the unknown-email dummy hash now rather than on the first failed sign-in (a failure
    // is logged here; sign-in then fails on the same cached rejection and answers 500).
    unknownUserHash().catch((err: unknown) => logger.error({ err }, 'could not prepare the dummy password hash'));
    return [
      signupRouter({ session, limits, logger }),
      signinRouter({ session, limits }),
      signoutRouter({ session }),
      refreshRouter({ session, logger }),
      currentUserRouter(),
    ];
  },
  readiness: ({ redis }): ReadinessChecks => (redis ? { redis: () => redisIsReady(redis) } : {}),
  stop: async ({ redis }) => {
    await redis?.quit().catch(() => redis.disconnect());
  },
});
