import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StripeMock } from './stripe-mock';

/** One request the Stripe SDK sent, as it went over the wire (form body decoded to flat keys). */
export interface SeenRequest {
  method: string;
  path: string;
  /** `metadata[orderId]`, `allowed_payment_method_types[0]`, … as the SDK encodes them. */
  params: Record<string, string>;
  idempotencyKey?: string;
  /** The answer: stripe-mock's, or a scripted one. */
  status: number;
  response: unknown;
  scripted: boolean;
}

/** An answer Stripe would give that stripe-mock cannot (declines, states, conflicts). */
export interface ScriptedAnswer {
  method: string;
  path: string;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface StripeProxy {
  host: string;
  port: number;
  protocol: 'http';
  /** Every request, in order. */
  seen: SeenRequest[];
  /** The next request to `method path` gets this answer instead of stripe-mock's (first in, first out). */
  answer(...answers: ScriptedAnswer[]): void;
  /** Forgets what was seen and any scripted answer not given (between tests). */
  reset(): void;
  stop(): Promise<void>;
}

/**
 * A loopback HTTP server between the Stripe SDK and stripe-mock: it records exactly what the
 * SDK sends and forwards it to stripe-mock (so the schema still validates every request),
 * except for requests given a scripted answer, which stand for Stripe's real behaviour that
 * stripe-mock's canned fixtures cannot show (a decline, an already captured intent, …).
 */
export async function startStripeProxy(mock: StripeMock): Promise<StripeProxy> {
  const seen: SeenRequest[] = [];
  const script: ScriptedAnswer[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://stripe.invalid');
      const params = Object.fromEntries([...url.searchParams, ...new URLSearchParams(body.toString())]);
      const record = (status: number, response: unknown, scripted: boolean) =>
        seen.push({
          method: req.method ?? '',
          path: url.pathname,
          params,
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
          status,
          response,
          scripted,
        });

      const i = script.findIndex((a) => a.method === req.method && a.path === url.pathname);
      if (i >= 0) {
        const [scripted] = script.splice(i, 1);
        record(scripted.status, scripted.body, true);
        res.writeHead(scripted.status, { 'content-type': 'application/json', ...scripted.headers });
        res.end(JSON.stringify(scripted.body));
        return;
      }
      const forward = http.request(
        { host: mock.host, port: mock.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          const out: Buffer[] = [];
          upstream.on('data', (c: Buffer) => out.push(c));
          upstream.on('end', () => {
            const text = Buffer.concat(out).toString();
            record(upstream.statusCode ?? 0, text ? JSON.parse(text) : undefined, false);
            res.writeHead(upstream.statusCode ?? 502, upstream.headers);
            res.end(text);
          });
        },
      );
      forward.on('error', (err) => {
        res.writeHead(502);
        res.end(String(err));
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    protocol: 'http',
    seen,
    answer: (...answers) => script.push(...answers),
    reset: () => {
      seen.length = 0;
      script.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
