import { createServiceApp, openApiRouter, type Logger, type Metrics } from '@ticketing/common';
import type { Express } from 'express';
import { openApiDocument } from './openapi';
import { currentUserRouter } from './routes/current-user';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';
import { unknownUserHash } from './services/password';
import { createRateLimits, type RateLimitOptions } from './services/rate-limits';

export interface AuthAppDeps {
  logger: Logger;
  /** HS256 key of the session JWTs. */
  jwtKey: string;
  /** JWT exp − iat (and cookie Max-Age). Default 3600. */
  jwtLifetimeSeconds?: number;
  /** Brute-force limits and their store (Redis client or in-memory). */
  rateLimits: Omit<RateLimitOptions, 'logger'>;
  /** Secure cookies (HTTPS only): on in production. */
  secureCookies?: boolean;
  metrics?: Metrics;
  logRequests?: boolean;
}

/** Credentials are tiny; anything bigger than this is refused with 413 before parsing. */
export const AUTH_BODY_LIMIT = '4kb';

/** The auth service's Express app. No I/O: the caller connects MongoDB (and Redis). */
export function createApp(deps: AuthAppDeps): Express {
  const session = { jwtKey: deps.jwtKey, lifetimeSeconds: deps.jwtLifetimeSeconds ?? 3600 };
  const limits = createRateLimits({ ...deps.rateLimits, logger: deps.logger });
  // Prepare the unknown-email dummy hash now rather than on the first failed sign-in.
  void unknownUserHash();
  return createServiceApp({
    logger: deps.logger,
    jwtKey: deps.jwtKey,
    metrics: deps.metrics,
    secureCookies: deps.secureCookies,
    logRequests: deps.logRequests,
    bodyLimit: AUTH_BODY_LIMIT,
    routers: [
      signupRouter({ session, limits, logger: deps.logger }),
      signinRouter({ session, limits }),
      signoutRouter(),
      currentUserRouter(),
      openApiRouter('/api/users', openApiDocument),
    ],
  });
}
