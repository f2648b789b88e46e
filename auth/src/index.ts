import { runService } from '@ticketing/common';
import { createApp } from './app';
import { authConfigSchema } from './config';
import { SessionFamily } from './models/session-family';
import { User } from './models/user';
import { createRedisClient, redisIsReady } from './domain/redis';

void runService({
  name: 'auth',
  config: authConfigSchema,
  mongo: true,
  build: async ({ config, logger, metrics }) => {
    await User.init(); // the unique email index must exist before the first sign-up
    await SessionFamily.init();
    const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL) : undefined;
    redis?.on('error', (err) => logger.warn({ err }, 'redis error'));
    const app = createApp({
      logger,
      metrics,
      signingKey: { kid: config.SESSION_SIGNING_KEY_ID, privateKey: config.SESSION_SIGNING_KEY },
      sessionKeys: config.SESSION_PUBLIC_KEYS,
      sessionLifetimeSeconds: config.SESSION_LIFETIME_SECONDS,
      refreshLifetimeSeconds: config.REFRESH_LIFETIME_SECONDS,
      secureCookies: config.NODE_ENV === 'production',
      rateLimits: {
        signinPerMinute: config.RATE_LIMIT_SIGNIN_PER_MIN,
        signinPerAddressPerMinute: config.RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN,
        signupPerMinute: config.RATE_LIMIT_SIGNUP_PER_MIN,
        redis,
      },
    });
    return {
      app,
      ...(redis && {
        readiness: { redis: () => redisIsReady(redis) },
        stop: async () => {
          await redis.quit().catch(() => redis.disconnect());
        },
      }),
    };
  },
});
