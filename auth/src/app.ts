import { createServiceApp, openApiRouter, type Logger, type Metrics, type SessionPublicKeys } from '@ticketing/common';
import type { Express } from 'express';
import { openApiDocument } from './openapi';
import { currentUserRouter } from './routes/current-user';
import { refreshRouter } from './routes/refresh';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';
import { unknownUserHash } from './domain/password';
import { createRateLimits, type RateLimitOptions } from './domain/rate-limits';
import type { SessionSettings } from './domain/session';
import type { SessionSigningKey } from './domain/session-signer';

export interface AuthAppDeps {
  logger: Logger;
  /** Auth's private key and its id: it alone signs session tokens. */
  signingKey: SessionSigningKey;
  /** The keys that verify session tokens (including signingKey's public half). */
  sessionKeys: SessionPublicKeys;
  /** Session token exp − iat. Default 900 (15 minutes). */
  sessionLifetimeSeconds?: number;
  /** A sign-in's refresh-token family lifetime. Default 7 days. */
  refreshLifetimeSeconds?: number;
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
  const session: SessionSettings = {
    signingKey: deps.signingKey,
    publicKeys: deps.sessionKeys,
    lifetimeSeconds: deps.sessionLifetimeSeconds ?? 15 * 60,
    refreshLifetimeSeconds: deps.refreshLifetimeSeconds ?? 7 * 24 * 3600,
    secureCookies: deps.secureCookies ?? false,
  };
  const limits = createRateLimits({ ...deps.rateLimits, logger: deps.logger });
  // Prepare the unknown-email dummy hash now rather than on the first failed sign-in.
  void unknownUserHash();
  return createServiceApp({
    logger: deps.logger,
    sessionKeys: deps.sessionKeys,
    metrics: deps.metrics,
    secureCookies: deps.secureCookies,
    logRequests: deps.logRequests,
    bodyLimit: AUTH_BODY_LIMIT,
    routers: [
      signupRouter({ session, limits, logger: deps.logger }),
      signinRouter({ session, limits }),
      signoutRouter({ session }),
      refreshRouter({ session, logger: deps.logger }),
      currentUserRouter(),
      openApiRouter('/api/users', openApiDocument),
    ],
  });
}
