// The local stand-in for the ingress: same path rules, round robin over the replicas that
// answer their readiness probe (as Kubernetes endpoints would). Run as its own process.
import http from 'node:http';
import express from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';

export interface GatewayRoute {
  /** Path prefix, e.g. `/api/users`; `/` catches the rest. */
  prefix: string;
  targets: string[];
  /** Probe path on each target; a target is used only while it answers 2xx. */
  health: string;
  /**
   * Long-lived event streams (Server-Sent Events): no proxy timeout (the service's heartbeats
   * keep the connection busy; a client that leaves closes it). Responses are piped, never
   * buffered, on every route.
   */
  stream?: boolean;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

class Upstream {
  private next = 0;
  readonly healthy = new Set<string>();

  constructor(readonly route: GatewayRoute) {
    route.targets.forEach((t) => this.healthy.add(t));
  }

  pick(): string {
    const pool = this.route.targets.filter((t) => this.healthy.has(t));
    const from = pool.length ? pool : this.route.targets;
    return from[this.next++ % from.length];
  }

  async probe(): Promise<void> {
    await Promise.all(
      this.route.targets.map(async (target) => {
        const ok = await fetch(new URL(this.route.health, target), { signal: AbortSignal.timeout(1_000) })
          .then((r) => r.ok)
          .catch(() => false);
        if (ok) this.healthy.add(target);
        else this.healthy.delete(target);
      }),
    );
  }
}

export function createGateway(routes: GatewayRoute[]): { server: http.Server; upstreams: Upstream[] } {
  const upstreams = [...routes].sort((a, b) => b.prefix.length - a.prefix.length).map((r) => new Upstream(r));
  const app = express();
  app.disable('x-powered-by');
  app.get('/gateway/healthz', (_req, res) => {
    res.send({ upstreams: upstreams.map((u) => ({ prefix: u.route.prefix, healthy: [...u.healthy] })) });
  });
  for (const upstream of upstreams) {
    const prefix = upstream.route.prefix;
    app.use(
      createProxyMiddleware({
        pathFilter: (path) => prefix === '/' || path === prefix || path.startsWith(`${prefix}/`),
        router: () => upstream.pick(),
        target: upstream.route.targets[0],
        xfwd: true,
        agent,
        proxyTimeout: upstream.route.stream ? 0 : 30_000,
        on: {
          error: (err, _req, res) => {
            const out = res as http.ServerResponse;
            if (!out.headersSent && typeof out.writeHead === 'function') {
              out.writeHead(502, { 'content-type': 'application/json' });
            }
            out.end(JSON.stringify({ errors: [{ message: `Bad gateway: ${(err as NodeJS.ErrnoException).code ?? 'upstream error'}` }] }));
          },
        },
      }),
    );
  }
  return { server: http.createServer(app), upstreams };
}

if (require.main === module) {
  const routes = JSON.parse(process.env.GATEWAY_ROUTES ?? '[]') as GatewayRoute[];
  const port = Number(process.env.PORT ?? 3000);
  const { server, upstreams } = createGateway(routes);
  const probe = () => Promise.all(upstreams.map((u) => u.probe()));
  // void: each upstream's probe turns a failed request into "unhealthy"; it never rejects.
  void probe();
  const timer = setInterval(() => void probe(), 500);
  server.keepAliveTimeout = 65_000;
  server.on('error', (err: NodeJS.ErrnoException) => {
    console.error(err.code === 'EADDRINUSE' ? `gateway: port ${port} is already in use (set PORT)` : `gateway: ${err.message}`);
    process.exit(1);
  });
  server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
    console.log(JSON.stringify({ level: 30, service: 'gateway', msg: 'gateway listening', port }));
  });
  const stop = () => {
    clearInterval(timer);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
