// Tracing on, as `npm start` runs it: the stack's own Jaeger receives every service's spans, and
// the test reads the traces back from Jaeger's query API, as a person opening the UI would.
import { randomBytes } from 'node:crypto';
import { eventually, readTrace, type StoredSpan } from '@ticketing/dev-servers';
import type { Order, PaymentAnswer, Ticket } from '@ticketing/client/lib/api/types';
import { Shopper } from '../support/api';
import { startE2EStack, type E2EStack } from '../support/stack';

/** Long enough for a purchase to finish first under load; short enough to wait for one expiry. */
const WINDOW_SECONDS = 20;

let stack: E2EStack;
let jaegerUrl: string;
beforeAll(async () => {
  stack = await startE2EStack({
    client: false,
    traceStore: true,
    // An endpoint in the test's environment would replace the stack's Jaeger.
    env: { TRACING: '1', OTEL_EXPORTER_OTLP_ENDPOINT: '', EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS), ORDER_EXPIRY_GRACE_SECONDS: '0' },
  });
  jaegerUrl = stack.infra.jaeger!.url;
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

/** A browser-like caller whose every request joins one trace (its own `traceparent`). */
function tracedShopper(): { shopper: Shopper; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  return { shopper: new Shopper(stack.gatewayUrl, { traceparent }), traceId };
}
const has = (spans: StoredSpan[], service: string, name: string) => spans.some((s) => s.service === service && s.name === name);

describe('one trace follows a purchase across the services, read back from Jaeger', () => {
  it('runs beside the stack: its row in the table, every service exporting to it', () => {
    expect(stack.table()).toMatch(new RegExp(`^jaeger\\s.*${jaegerUrl.replace(/[.]/g, '\\.')}`, 'm'));
    for (const p of stack.processes.filter((x) => /^(auth|tickets|orders|payments|expiration|live)-/.test(x.name))) {
      expect({ [p.name]: p.spec.env?.OTEL_EXPORTER_OTLP_ENDPOINT }).toEqual({ [p.name]: stack.infra.jaeger!.server.otlpUrl });
    }
  });

  it('sign-up → order → order.created → expiry job → payment → payment.created → completion, in one trace', async () => {
    const seller = await new Shopper(stack.gatewayUrl).signup();
    const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Traced concert', price: 30 })).body;
    const { shopper: buyer, traceId } = tracedShopper();
    await buyer.signup();
    const order = await eventually(async () => {
      const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
      return res.status === 201 ? res.body : undefined;
    });
    await eventually(async () => {
      const res = await buyer.call<PaymentAnswer>('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
      return res.status === 201 || res.status === 202 ? res.body : undefined;
    });
    await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'complete');

    // Spans reach Jaeger in batches (each service's exporter, Jaeger's own batch processor).
    const spans = await eventually(
      async () => {
        const all = await readTrace(jaegerUrl, traceId);
        const complete =
          all.some((s) => s.service === 'auth' && s.name.startsWith('POST')) &&
          has(all, 'orders', 'publish order.created') &&
          has(all, 'expiration', 'process order.created') &&
          has(all, 'tickets', 'process order.created') &&
          has(all, 'payments', 'publish payment.created') &&
          has(all, 'orders', 'process payment.created');
        return complete ? all : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    expect([...new Set(spans.map((s) => s.service))].sort()).toEqual(expect.arrayContaining(['auth', 'expiration', 'orders', 'payments', 'tickets']));
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    // Linked through the events: each listener's `process` span is the child of the `publish` span of the message it handled.
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (service: string, name: string) => byId.get(spans.find((s) => s.service === service && s.name === name)!.parentSpanId ?? '');
    expect(parentOf('payments', 'process order.created')).toMatchObject({ service: 'orders', name: 'publish order.created' });
    expect(parentOf('orders', 'process payment.created')).toMatchObject({ service: 'payments', name: 'publish payment.created' });
    // HTTP, Express and MongoDB are instrumented too: each service starts tracing before it loads them.
    expect(spans.some((s) => s.service === 'orders' && s.name.startsWith('POST'))).toBe(true);
    expect(spans.some((s) => s.service === 'orders' && /^(middleware|request handler|router) - /.test(s.name))).toBe(true);
    expect(spans.some((s) => s.service === 'orders' && s.name === 'insert orders')).toBe(true); // MongoDB: "<operation> <collection>"
    expect(spans.some((s) => s.service === 'expiration' && s.name === 'evalsha')).toBe(true); // ioredis: Bull's scripts
  });

  it('an expiry is its own trace, linked to the order that scheduled it; the cancellation continues it', async () => {
    const seller = await new Shopper(stack.gatewayUrl).signup();
    const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Unpaid concert', price: 30 })).body;
    const { shopper: buyer, traceId } = tracedShopper();
    await buyer.signup();
    const order = await eventually(async () => {
      const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
      return res.status === 201 ? res.body : undefined;
    });
    await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'cancelled', {
      timeoutMs: (WINDOW_SECONDS + 60) * 1000,
    });

    // The worker's log line for this expiry names its trace (log lines written inside a span carry its id).
    const logged = await eventually(() =>
      stack.lines.find((l) => l.name.startsWith('expiration') && l.line.includes('expiration.complete published') && l.line.includes(order.id)),
    );
    const expiryTraceId = /"trace_id":"([0-9a-f]{32})"/.exec(logged.line)?.[1];
    expect(expiryTraceId).toBeDefined();
    expect(expiryTraceId).not.toBe(traceId);
    const spans = await eventually(
      async () => {
        const all = await readTrace(jaegerUrl, expiryTraceId!);
        return has(all, 'expiration', 'expire order') && has(all, 'orders', 'process expiration.complete') ? all : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );
    const expire = spans.find((s) => s.service === 'expiration' && s.name === 'expire order')!;
    expect(expire.parentSpanId).toBeUndefined(); // a root: the expiry's own trace
    expect(expire.links.map((l) => l.traceId)).toContain(traceId); // … linked to the order's
    // And the order's trace holds the scheduling (expiration's `process order.created`).
    expect(has(await readTrace(jaegerUrl, traceId), 'expiration', 'process order.created')).toBe(true);
  });
});
