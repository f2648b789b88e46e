/**
 * The Node edge (LOCAL_EDGE=node) against plain HTTP servers standing in for the replicas:
 * routing by prefix, round robin over the healthy ones, what is passed on each way, its own
 * answers (502, 404) and event streams.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGateway, type GatewayRoute } from '../src/gateway';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface Seen {
  server: string;
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A replica named `name`: answers what it saw as JSON, 503 on its probe while `down`, or as `handler` says. */
async function replica(name: string, handler?: Handler) {
  const state = { down: false };
  const url = await listen(
    http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/healthz') return void res.writeHead(state.down ? 503 : 200).end();
        if (handler) return handler(req, res, body);
        const seen: Seen = { server: name, method: req.method!, url: req.url!, headers: req.headers, body };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(seen));
      });
    }),
  );
  return { url, state };
}

async function gateway(routes: GatewayRoute[], opts?: { timeoutMs?: number }) {
  const { server, upstreams } = createGateway(routes, opts);
  return { url: await listen(server), upstreams };
}

/** One request on its own connection; the answer with its body as text. */
function send(base: string, path: string, opts: { method?: string; headers?: http.OutgoingHttpHeaders; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
    const req = http.request(new URL(path, base), { method: opts.method ?? 'GET', headers: { connection: 'close', ...opts.headers }, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const seenBy = async (base: string, path: string) => JSON.parse((await send(base, path)).text) as Seen;

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise((resolve) => {
          s.closeAllConnections();
          s.close(resolve);
        }),
    ),
  );
});

describe('the Node gateway', () => {
  it('routes by the longest matching prefix, round-robins over the healthy replicas, and leaves out one whose probe fails', async () => {
    const [a1, a2, b, root] = await Promise.all([replica('a1'), replica('a2'), replica('b'), replica('root')]);
    const { url, upstreams } = await gateway([
      { prefix: '/', targets: [root.url], health: '/healthz' },
      { prefix: '/api/users', targets: [a1.url, a2.url], health: '/healthz' },
      { prefix: '/api/users/admin', targets: [b.url], health: '/healthz' },
    ]);
    const servedBy = async (path: string) => (await seenBy(url, path)).server;

    expect([await servedBy('/api/users/me'), await servedBy('/api/users'), await servedBy('/api/users/x?y=1')]).toEqual(['a1', 'a2', 'a1']);
    expect(await servedBy('/api/users/admin/x')).toBe('b');
    expect(await servedBy('/api/usersx')).toBe('root'); // a prefix is a whole path segment
    expect(await seenBy(url, '/api/users/x?y=1')).toMatchObject({ url: '/api/users/x?y=1' });

    a2.state.down = true;
    await Promise.all(upstreams.map((u) => u.probe()));
    expect([await servedBy('/api/users/1'), await servedBy('/api/users/2'), await servedBy('/api/users/3')]).toEqual(['a1', 'a1', 'a1']);
    const health = JSON.parse((await send(url, '/gateway/healthz')).text) as { upstreams: { prefix: string; healthy: string[] }[] };
    expect(health.upstreams.find((u) => u.prefix === '/api/users')).toEqual({ prefix: '/api/users', healthy: [a1.url] });

    a2.state.down = false;
    await Promise.all(upstreams.map((u) => u.probe()));
    expect(new Set([await servedBy('/api/users/1'), await servedBy('/api/users/2')])).toEqual(new Set(['a1', 'a2']));
  });

  it('passes the request on (method, path, body, Host, forwarding headers, no hop-by-hop headers) and the answer back (status, repeated headers)', async () => {
    const cookies = await replica('cookies', (_req, res) => {
      res.writeHead(201, { 'set-cookie': ['session=a; Path=/', 'refresh=b; Path=/api/users'], 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const echo = await replica('echo');
    const { url } = await gateway([
      { prefix: '/api/echo', targets: [echo.url], health: '/healthz' },
      { prefix: '/api/cookies', targets: [cookies.url], health: '/healthz' },
    ]);
    const host = new URL(url).host;

    const seen = JSON.parse(
      (
        await send(url, '/api/echo/signup', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', connection: 'close, x-hop', 'x-hop': 'secret', 'x-kept': 'yes' },
          body: '{"email":"a@b.co"}',
        })
      ).text,
    ) as Seen;
    expect(seen).toMatchObject({ method: 'POST', url: '/api/echo/signup', body: '{"email":"a@b.co"}' });
    expect(seen.headers).toMatchObject({ host, 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': host, 'x-kept': 'yes' });
    expect(seen.headers['x-hop']).toBeUndefined();

    const chained = await seenBy(url, '/api/echo/x');
    expect(chained.headers['x-forwarded-proto']).toBe('http'); // no proxy in front said otherwise
    const behindProxy = JSON.parse((await send(url, '/api/echo/x', { headers: { 'x-forwarded-for': '203.0.113.7' } })).text) as Seen;
    expect(behindProxy.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');

    const answer = await send(url, '/api/cookies/signin', { method: 'POST' });
    expect(answer.status).toBe(201);
    expect(answer.headers['set-cookie']).toEqual(['session=a; Path=/', 'refresh=b; Path=/api/users']);
    expect(JSON.parse(answer.text)).toEqual({ ok: true });
  });

  it('answers 504 in the error contract when the replica stays silent past the timeout (not on an event stream)', async () => {
    const silent = await replica('silent', () => undefined); // never answers
    const { url } = await gateway(
      [
        { prefix: '/api/slow', targets: [silent.url], health: '/healthz' },
        { prefix: '/api/live', targets: [silent.url], health: '/healthz', stream: true },
      ],
      { timeoutMs: 200 },
    );
    const late = await send(url, '/api/slow');
    expect(late.status).toBe(504);
    expect(JSON.parse(late.text)).toEqual({ errors: [{ message: 'Gateway timeout' }] });

    let answered = false;
    const streaming = http.get(new URL('/api/live/events', url), { agent: false }, () => (answered = true));
    streaming.on('error', () => undefined); // destroyed below
    await new Promise((r) => setTimeout(r, 1_000)); // five timeouts' worth: a stream has none
    expect(answered).toBe(false);
    streaming.destroy();
  });

  it('answers 502 in the error contract when the replica is unreachable, and 404 when no route takes the path', async () => {
    const closed = await listen(http.createServer());
    servers.pop()!.close(); // nothing listens there any more
    await new Promise((r) => setImmediate(r));
    const { url } = await gateway([{ prefix: '/api/orders', targets: [closed], health: '/healthz' }]);

    const bad = await send(url, '/api/orders');
    expect(bad.status).toBe(502);
    expect(bad.headers['content-type']).toBe('application/json');
    expect(JSON.parse(bad.text)).toEqual({ errors: [{ message: 'Bad gateway: ECONNREFUSED' }] });

    const none = await send(url, '/elsewhere');
    expect(none.status).toBe(404);
    expect(JSON.parse(none.text)).toEqual({ errors: [{ message: 'Not found' }] });
  });

  it('passes an event stream on as it comes, and a client that leaves closes the replica\'s stream', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    let sendEvent!: (data: string) => void;
    const live = await replica('live', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(': connected\n\n');
      sendEvent = (data) => res.write(`data: ${data}\n\n`);
      res.on('close', upstreamClosed);
    });
    const { url } = await gateway([{ prefix: '/api/live', targets: [live.url], health: '/healthz', stream: true }]);

    const chunks: string[] = [];
    const arrived = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => (chunks.join('').includes(text) ? resolve() : setTimeout(check, 10));
        check();
      });
    const req = http.get(new URL('/api/live/events', url), { agent: false }, (res) => {
      expect(res.headers['content-type']).toBe('text/event-stream');
      res.on('data', (c: Buffer) => chunks.push(c.toString()));
    });
    req.on('error', () => undefined); // destroyed below
    await arrived(': connected');
    sendEvent('first');
    await arrived('data: first'); // while the replica's response is still open: not buffered
    req.destroy();
    await closed;
  });
});
