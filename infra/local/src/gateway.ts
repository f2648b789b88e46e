// The Node edge (LOCAL_EDGE=node; nginx is the default): the ingress's path rules, round robin
// over the replicas that answer their readiness probe (as Kubernetes endpoints would). Run as
// its own process. Plain node:http: it only picks a target by path prefix, sets the forwarding
// headers, pipes both ways and answers 502 itself — what http-proxy-middleware was used for,
// whose version 4 is an ES module only (jest, which tests this, cannot require it).
import http from 'node:http';

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

/** How long an upstream may stay silent on a request (nginx's proxy_read_timeout); then 504. */
export const PROXY_TIMEOUT_MS = 30_000;

const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

class Upstream {
  private next = 0;
  readonly healthy = new Set<string>();

  constructor(readonly route: GatewayRoute) {
    route.targets.forEach((t) => this.healthy.add(t));
  }

  matches(path: string): boolean {
    const { prefix } = this.route;
    return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
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

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Headers that describe one connection, not the message: never passed on (RFC 9110 §7.6.1). */
function withoutHopByHop(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const named = String(headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const drop = new Set(['connection', 'keep-alive', 'proxy-connection', 'upgrade', 'te', 'trailer', ...named]);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name)));
}

/** As the nginx edge and the ingress: the client's address appended, the scheme a proxy in front said (else http), the Host asked for. */
function forwardedHeaders(req: http.IncomingMessage): http.IncomingHttpHeaders {
  const before = req.headers['x-forwarded-for'];
  const address = req.socket.remoteAddress ?? '';
  return {
    'x-forwarded-for': before ? `${String(before)}, ${address}` : address,
    'x-forwarded-proto': req.headers['x-forwarded-proto'] ?? 'http',
    ...(req.headers.host ? { 'x-forwarded-host': req.headers.host } : {}),
  };
}

function forward(req: http.IncomingMessage, res: http.ServerResponse, upstream: Upstream, timeoutMs: number): void {
  const target = new URL(upstream.pick());
  const proxied = http.request({
    hostname: target.hostname,
    port: target.port,
    method: req.method,
    path: req.url,
    headers: { ...withoutHopByHop(req.headers), ...forwardedHeaders(req) },
    agent,
  });
  if (!upstream.route.stream) {
    proxied.setTimeout(timeoutMs, () => proxied.destroy(Object.assign(new Error('upstream timed out'), { code: 'ETIMEDOUT' })));
  }
  proxied.on('response', (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
    if (upstream.route.stream) res.flushHeaders(); // an event stream's headers go out before its first event
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  proxied.on('error', (err: NodeJS.ErrnoException) => {
    if (res.headersSent) return void res.destroy(); // mid-answer: all the client can be told is that it broke
    if (err.code === 'ETIMEDOUT') sendJson(res, 504, { errors: [{ message: 'Gateway timeout' }] });
    else sendJson(res, 502, { errors: [{ message: `Bad gateway: ${err.code ?? 'upstream error'}` }] });
  });
  // A client that leaves (an event stream closed) releases the upstream request too.
  res.on('close', () => {
    if (!res.writableFinished) proxied.destroy();
  });
  req.pipe(proxied);
}

export function createGateway(routes: GatewayRoute[], opts: { timeoutMs?: number } = {}): { server: http.Server; upstreams: Upstream[] } {
  const upstreams = [...routes].sort((a, b) => b.prefix.length - a.prefix.length).map((r) => new Upstream(r));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/gateway/healthz' && req.method === 'GET') {
      sendJson(res, 200, { upstreams: upstreams.map((u) => ({ prefix: u.route.prefix, healthy: [...u.healthy] })) });
      return;
    }
    const upstream = upstreams.find((u) => u.matches(path));
    if (upstream) forward(req, res, upstream, opts.timeoutMs ?? PROXY_TIMEOUT_MS);
    else sendJson(res, 404, { errors: [{ message: 'Not found' }] });
  });
  return { server, upstreams };
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
