import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@ticketing/common';
import { testSessionKeys, useTestJetStream } from '@ticketing/dev-servers';
import { createApp } from '../src/app';
import type { LiveConnection } from '../src/connection';
import { LiveHub } from '../src/feed/hub';

export interface LiveServer {
  url: string;
  app: ReturnType<typeof createApp>;
  hub: LiveHub;
  stop(): Promise<void>;
}

/**
 * A test file's nats-server (catalog streams provisioned by the admin) and a way to start the
 * live service's hub and app on it as runService does, with the `live` NATS user.
 */
export function useLive() {
  const servers: LiveServer[] = [];
  // Declared first so it runs before the nats-server is destroyed.
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });
  const jet = useTestJetStream();
  const start = async (opts: { heartbeatMs?: number; replayBuffer?: number; maxReplay?: number } = {}): Promise<LiveServer> => {
    const live = await jet.bus.as('live');
    const logger = createLogger('live-test', process.env.TEST_LOG_LEVEL ?? 'silent');
    const hub = new LiveHub({ js: live.js, jsm: live.jsm, logger, replayBuffer: opts.replayBuffer ?? 1000, maxReplay: opts.maxReplay, pullWaitMs: 1_000 });
    await hub.start();
    const connections = new Set<LiveConnection>();
    const app = createApp({ logger, hub, connections, heartbeatMs: opts.heartbeatMs ?? 15_000, sessionKeys: testSessionKeys(), logRequests: false });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const s: LiveServer = {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/live`,
      app,
      hub,
      stop: async () => {
        for (const c of connections) c.close();
        await hub.stop();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
    servers.push(s);
    return s;
  };
  return { jet, start };
}
