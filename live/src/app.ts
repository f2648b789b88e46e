import { createServiceApp, openApiRouter, type Logger, type Metrics, type SessionPublicKeys } from '@ticketing/common';
import type { LiveConnection } from './connection';
import type { LiveHub } from './feed/hub';
import { openApiDocument } from './openapi';
import { liveRouter } from './routes/live-stream';

export interface AppDeps {
  logger: Logger;
  /** Public keys that verify session tokens: who is signed in decides what is private to them. */
  sessionKeys: SessionPublicKeys;
  hub: LiveHub;
  heartbeatMs: number;
  connections: Set<LiveConnection>;
  metrics?: Metrics;
  secureCookies?: boolean;
  logRequests?: boolean;
}

/** The live HTTP API: one Server-Sent Events route and its OpenAPI document. */
export function createApp(deps: AppDeps) {
  return createServiceApp({
    ...deps,
    routers: [
      openApiRouter('/api/live', openApiDocument),
      liveRouter({ hub: deps.hub, logger: deps.logger, heartbeatMs: deps.heartbeatMs, connections: deps.connections }),
    ],
  });
}
