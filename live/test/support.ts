import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { useServiceTestEnv } from '@ticketing/dev-servers';
import type { Express } from 'express';
import type { LiveConnection } from '../src/connection';
import { LiveHub } from '../src/feed/hub';
import { liveService } from '../src/service';

export interface LiveServer {
  url: string;
  app: Express;
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
  const jet = useServiceTestEnv(liveService, { events: true });
  const start = async (opts: { heartbeatSeconds?: number; replayBuffer?: number; maxReplay?: number } = {}): Promise<LiveServer> => {
    const { js, jsm, logger } = jet.deps;
    // Its own hub per server: tests set its replay limits and a short pull wait.
    const hub = new LiveHub({ js, jsm, logger, replayBuffer: opts.replayBuffer ?? 1000, maxReplay: opts.maxReplay, pullWaitMs: 1_000 });
    await hub.start();
    const connections = new Set<LiveConnection>();
    const env = opts.heartbeatSeconds === undefined ? undefined : { LIVE_HEARTBEAT_SECONDS: String(opts.heartbeatSeconds) };
    const app = jet.app({ env, resources: { hub, connections } });
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
