import { defineService } from '@ticketing/common';
import { liveConfigSchema } from './config';
import type { LiveConnection } from './connection';
import { LiveHub } from './feed/hub';
import { openApiDocument } from './openapi';
import { liveRouter } from './routes/live-stream';

export interface LiveResources {
  /** Follows the public streams once for every connection of this process. */
  hub: LiveHub;
  /** The open Server-Sent Events connections, ended on shutdown. */
  connections: Set<LiveConnection>;
}

/** Live updates: one Server-Sent Events route fed by the event streams. No database. */
export const liveService = defineService({
  name: 'live',
  config: liveConfigSchema,
  mongo: false,
  resources: ({ config, logger, js, jsm }): LiveResources => ({
    hub: new LiveHub({ js, jsm, logger, replayBuffer: config.LIVE_REPLAY_BUFFER }),
    connections: new Set(),
  }),
  start: ({ hub }) => hub.start(),
  routers: ({ config, logger, hub, connections }) => [liveRouter({ hub, logger, heartbeatMs: config.LIVE_HEARTBEAT_SECONDS * 1000, connections })],
  openApi: { base: '/api/live', document: openApiDocument },
  // Streams never end by themselves: end them so the HTTP server can close (browsers reconnect elsewhere).
  stop: async ({ hub, connections }) => {
    for (const c of connections) c.close();
    await hub.stop();
  },
});
