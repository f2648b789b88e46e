import { randomBytes } from 'node:crypto';
import { eventually, jaegerConfig, readTrace, startJaeger, type JaegerServer } from '../src';

let jaeger: JaegerServer;
beforeAll(async () => {
  jaeger = await startJaeger();
}, 60_000);
afterAll(async () => {
  await jaeger?.destroy();
});

/** One span as an OTLP/HTTP exporter sends it (JSON). */
function otlpSpan(service: string, traceId: string, spanId: string, name: string, extra: Record<string, unknown> = {}) {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ spans: [{ traceId, spanId, name, kind: 1, startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1_000_000n), ...extra }] }],
      },
    ],
  };
}

describe('startJaeger', () => {
  it('stores what its OTLP/HTTP receiver gets, and its query API gives the trace back with parents and links', async () => {
    const traceId = randomBytes(16).toString('hex');
    const other = { traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex') };
    const [root, child] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    for (const body of [
      otlpSpan('orders', traceId, root, 'publish order.created'),
      otlpSpan('payments', traceId, child, 'process order.created', { parentSpanId: root, links: [other] }),
    ]) {
      const res = await fetch(`${jaeger.otlpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
    }
    const spans = await eventually(async () => {
      const found = await readTrace(jaeger.queryUrl, traceId);
      return found.length === 2 ? found : undefined;
    }, { timeoutMs: 30_000, intervalMs: 250 });
    expect(spans.map((s) => [s.service, s.name, s.parentSpanId ?? null]).sort()).toEqual([
      ['orders', 'publish order.created', null],
      ['payments', 'process order.created', root],
    ]);
    expect(spans.find((s) => s.spanId === child)?.links).toEqual([other]);
    // A trace it never received: none (the API answers 404).
    expect(await readTrace(jaeger.queryUrl, randomBytes(16).toString('hex'))).toEqual([]);
  });

  it('is configured to listen on the given loopback ports only (no fixed ports of the all-in-one: 8888, 4317, 14250, …)', () => {
    const config = jaegerConfig({ query: 41001, otlp: 41002, queryGrpc: 41003 });
    const endpoints = [...config.matchAll(/endpoint: (\S+)/g)].map((m) => m[1]).sort();
    expect(endpoints).toEqual(['127.0.0.1:41001', '127.0.0.1:41002', '127.0.0.1:41003']);
    expect(config).toMatch(/metrics:\n\s+level: none/); // the collector's own metrics would take :8888
    expect(config).toMatch(/receivers: \[otlp\]/);
    expect(new URL(jaeger.otlpUrl).hostname).toBe('127.0.0.1');
  });
});
