import { runService } from '@ticketing/common';
import { createApp } from './app';
import { liveConfigSchema } from './config';
import type { LiveConnection } from './connection';
import { LiveHub } from './feed/hub';

void runService({
  name: 'live',
  config: liveConfigSchema,
  mongo: false,
  build: async ({ config, logger, metrics, js, jsm }) => {
    const hub = new LiveHub({ js, jsm, logger, replayBuffer: config.LIVE_REPLAY_BUFFER });
    await hub.start();
    const connections = new Set<LiveConnection>();
    return {
      app: createApp({
        logger,
        metrics,
        hub,
        connections,
        heartbeatMs: config.LIVE_HEARTBEAT_SECONDS * 1000,
        sessionKeys: config.SESSION_PUBLIC_KEYS,
        secureCookies: config.NODE_ENV === 'production',
      }),
      // Streams never end by themselves: end them so the HTTP server can close (browsers reconnect elsewhere).
      stop: async () => {
        for (const c of connections) c.close();
        await hub.stop();
      },
    };
  },
});
