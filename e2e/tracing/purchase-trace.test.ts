import { randomBytes } from 'node:crypto';
import { eventually } from '@ticketing/dev-servers';
import type { Order, PaymentAnswer, Ticket } from '@ticketing/client/lib/api/types';
import { Shopper } from '../support/api';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { startE2EStack, type E2EStack } from '../support/stack';

/** Long enough for a purchase to finish first under load; short enough to wait for one expiry. */
const WINDOW_SECONDS = 20;

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let stack: E2EStack;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startE2EStack({
    client: false,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS), ORDER_EXPIRY_GRACE_SECONDS: '0' },
  });
}, 180_000);
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

/** A browser-like caller whose every request joins one trace (its own `traceparent`). */
function tracedShopper(): { shopper: Shopper; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  return { shopper: new Shopper(stack.gatewayUrl, { traceparent }), traceId };
}
const inTrace = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);
const has = (spans: ReceivedSpan[], service: string, name: string) => spans.some((s) => s.service === service && s.name === name);

describe('one trace follows a purchase across the services (tracing on, OTLP/HTTP)', () => {
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

    const spans = await eventually(
      () => {
        const all = inTrace(traceId);
        const complete =
          all.some((s) => s.service === 'auth' && s.name.startsWith('POST')) &&
          has(all, 'orders', 'publish order.created') &&
          has(all, 'expiration', 'process order.created') &&
          has(all, 'tickets', 'process order.created') &&
          has(all, 'payments', 'publish payment.created') &&
          has(all, 'orders', 'process payment.created');
        return complete ? all : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect([...new Set(spans.map((s) => s.service))].sort()).toEqual(expect.arrayContaining(['auth', 'expiration', 'orders', 'payments', 'tickets']));
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

    const expire = await eventually(
      () => receiver.spans.find((s) => s.service === 'expiration' && s.name === 'expire order' && s.links.some((l) => l.traceId === traceId)),
      { timeoutMs: 60_000 },
    );
    expect(expire.traceId).not.toBe(traceId);
    // Log lines written inside a span carry its trace id.
    const logged = stack.lines.find((l) => l.name.startsWith('expiration') && l.line.includes('expiration.complete published') && l.line.includes(order.id));
    expect(logged?.line).toContain(`"trace_id":"${expire.traceId}"`);
    await eventually(() => has(inTrace(expire.traceId), 'orders', 'process expiration.complete'), { timeoutMs: 60_000 });
  });
});
