import type { Express } from 'express';
import type { z } from 'zod';
import type { SessionPublicKeys } from '../sessions/public-keys';
import { createServiceApp } from './app';
import type { AppDeps, ServiceConfig, ServiceDefinition } from './define-service';
import { openApiRouter } from './openapi';

/**
 * A declared service's Express app, the same in production (runService) and in tests: session
 * keys and the Secure cookie flag from the configuration (Secure in production), the access
 * log's sample rate, the OpenAPI router first (so `openapi.json` and `docs` are never taken for
 * ids), then the service's routers. No I/O.
 */
export function serviceApp<S extends z.ZodObject, R extends object>(
  definition: ServiceDefinition<S, R>,
  deps: AppDeps<ServiceConfig<S>> & R,
  /** logRequests: the access log (off in most tests); default true. */
  options: { logRequests?: boolean } = {},
): Express {
  if (!definition.routers) throw new Error(`${definition.name} has no HTTP API (no routers)`);
  const config = deps.config as ServiceConfig<S> & { SESSION_PUBLIC_KEYS: SessionPublicKeys };
  const { openApi } = definition;
  return createServiceApp({
    logger: deps.logger,
    metrics: deps.metrics,
    sessionKeys: config.SESSION_PUBLIC_KEYS,
    secureCookies: config.NODE_ENV === 'production',
    accessLogSampleRate: config.ACCESS_LOG_SAMPLE_RATE,
    logRequests: options.logRequests,
    bodyLimit: definition.bodyLimit,
    routers: [...(openApi ? [openApiRouter(openApi.base, openApi.document)] : []), ...definition.routers(deps)],
  });
}
