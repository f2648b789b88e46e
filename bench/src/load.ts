import autocannon from 'autocannon';
import { percentiles, round, type Percentiles } from './stats';

/** What a request looks like; `setupRequest` may rewrite it per request (method, path, headers, body). */
export interface RequestShape {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds; or `amount` requests in all (spread evenly over the connections). */
  duration?: number;
  amount?: number;
  request?: RequestShape;
  setupRequest?: (req: RequestShape) => RequestShape;
  /** Called with every response's status and body (autocannon then reads bodies: a little slower). */
  onResponse?: (status: number, body: string) => void;
  /** Per-request timeout, seconds (autocannon's default is 10). */
  timeout?: number;
}

export interface LoadResult {
  requests: number;
  /** Socket errors and timeouts. */
  errors: number;
  timeouts: number;
  /** Responses by status code. */
  statusCounts: Record<string, number>;
  /** Responses 5xx. */
  serverErrors: number;
  durationS: number;
  rps: number;
  /** Every response's latency (ms), exact percentiles (autocannon's own summary has no p95). */
  latency: Percentiles;
  samples: number[];
}

/** One autocannon run; every response's latency is kept (ms). */
export function load(opts: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const samples: number[] = [];
    const started = performance.now();
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        ...(opts.duration !== undefined ? { duration: opts.duration } : {}),
        ...(opts.amount !== undefined ? { amount: opts.amount } : {}),
        timeout: opts.timeout ?? 10,
        method: opts.request?.method ?? 'GET',
        headers: opts.request?.headers,
        body: opts.request?.body,
        ...(opts.setupRequest || opts.onResponse
          ? {
              requests: [
                {
                  ...(opts.setupRequest
                    ? { setupRequest: ((req: RequestShape) => ({ ...req, ...opts.setupRequest!(req) })) as unknown as autocannon.Request['setupRequest'] }
                    : {}),
                  ...(opts.onResponse ? { onResponse: (status: number, body: string) => opts.onResponse!(status, body) } : {}),
                },
              ],
            }
          : {}),
      },
      (err, result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        const durationS = (performance.now() - started) / 1000;
        const statusCounts: Record<string, number> = {};
        const stats = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
        for (const [code, { count }] of Object.entries(stats)) statusCounts[code] = count;
        const requests = samples.length;
        resolve({
          requests,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCounts,
          serverErrors: Object.entries(statusCounts).reduce((n, [code, c]) => (Number(code) >= 500 ? n + c : n), 0),
          durationS: round(durationS, 2),
          rps: round(requests / durationS),
          latency: percentiles(samples),
          samples,
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      samples.push(responseTime);
    });
  });
}

/** Several runs as one: counts added, latencies pooled, rate over the wall time given. */
export function combine(results: LoadResult[], wallS: number): LoadResult {
  const samples = results.flatMap((r) => r.samples);
  const statusCounts: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.statusCounts)) statusCounts[code] = (statusCounts[code] ?? 0) + n;
  return {
    requests: samples.length,
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
    statusCounts,
    serverErrors: results.reduce((n, r) => n + r.serverErrors, 0),
    durationS: round(wallS, 2),
    rps: round(samples.length / wallS),
    latency: percentiles(samples),
    samples,
  };
}

/** A result without its raw samples, for JSON. */
export function summary(r: LoadResult): Omit<LoadResult, 'samples'> {
  const { samples: _samples, ...rest } = r;
  return rest;
}
