import { DEFAULT_BODY_LIMIT } from '../contract/document';
import { randomUUID } from 'node:crypto';
import cookieSession from 'cookie-session';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { currentUser } from '../middlewares/current-user';
import { errorHandler, notFound } from '../middlewares/error-handler';
import { rejectUnsafeKeys } from '../middlewares/reject-unsafe-keys';
import type { SessionPublicKeys } from '../sessions/public-keys';
import { accessLog } from './access-log';
import type { Logger, Metrics } from '../telemetry';

export interface ServiceAppOptions {
  logger: Logger;
  /** Public keys that verify session tokens (SESSION_PUBLIC_KEYS). */
  sessionKeys: SessionPublicKeys;
  metrics?: Metrics;
  /** Secure cookies (HTTPS only): on in production. */
  secureCookies?: boolean;
  /** Largest JSON body accepted; larger gets 413. */
  bodyLimit?: string;
  /** Routers mounted in order after the common middleware. */
  routers: Router[];
  /** Access log (off in most tests): 5xx always, a sample of the rest (see access-log.ts). */
  logRequests?: boolean;
  /** Share of other requests logged at info (ACCESS_LOG_SAMPLE_RATE, which serviceApp passes); default 0: 5xx only. */
  accessLogSampleRate?: number;
  /**
   * Proxy hops whose X-Forwarded-* headers are believed (the ingress, or the local gateway):
   * 1 by default. `true` would let a client pick its own address (and dodge rate limits).
   */
  trustProxyHops?: number;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * The Express app every HTTP service shares: request ids, sampled access logs, security
 * headers, a bounded JSON body, operator-injection guard, cookie session + current user,
 * latency metrics, then the service's routers, the 404 and the error handler. No I/O.
 */
export function createServiceApp(opts: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxyHops ?? 1);

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.set('x-request-id', req.id);
    next();
  });
  if (opts.logRequests !== false) app.use(accessLog(opts.logger, opts.accessLogSampleRate ?? 0));
  if (opts.metrics) {
    const { httpDuration } = opts.metrics;
    app.use((req, res, next) => {
      const end = httpDuration.startTimer({ method: req.method });
      res.on('finish', () => {
        const route = req.route ? `${req.baseUrl}${String((req.route as { path: string | RegExp }).path)}` : 'unmatched';
        end({ route, status: String(res.statusCode) });
      });
      next();
    });
  }
  app.use(helmet());
  app.use(
    express.json({
      limit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
      verify: (req, _res, buf) => {
        (req as express.Request).rawBody = buf;
      },
    }),
  );
  app.use(rejectUnsafeKeys);
  app.use(
    cookieSession({
      name: 'session',
      signed: false,
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secureCookies ?? false,
    }),
  );
  app.use(currentUser(opts.sessionKeys));
  for (const router of opts.routers) app.use(router);
  app.use(notFound);
  app.use(errorHandler(opts.logger));
  return app;
}
