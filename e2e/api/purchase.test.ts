import { eventually } from '@ticketing/dev-servers';
import { Shopper, sumMetric } from '../support/api';
import { startE2EStack, type E2EStack } from '../support/stack';
import type { Order, PaymentAnswer, Ticket } from '@ticketing/client/lib/api/types';


/** A seller lists a ticket, a buyer orders and pays; the order completes and the ticket leaves the list. */
async function purchaseFlow(base: string) {
  const seller = await new Shopper(base).signup();
  const buyer = await new Shopper(base).signup();
  const listed = await seller.call<Ticket>('POST', '/api/tickets', { title: 'E2E concert', price: 42.5 });
  expect(listed.status).toBe(201);
  const ticket = listed.body;

  const seen = await buyer.call<Ticket[]>('GET', '/api/tickets');
  expect(seen.body.map((t) => t.id)).toContain(ticket.id);

  // the orders service learns of the ticket by event
  const order = await eventually(async () => {
    const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
    return res.status === 201 ? res.body : undefined;
  });
  expect(order).toMatchObject({ status: 'created', ticket: { id: ticket.id, price: 42.5 } });

  // the payments service learns of the order by event
  const payment = await eventually(async () => {
    const res = await buyer.call<PaymentAnswer>('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
    // 201 captured; 202 authorised while the order decides (under load)
    return res.status === 201 || res.status === 202 ? res.body : undefined;
  });
  expect(payment.id).toMatch(/^[0-9a-f]{24}$/);

  await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'complete');
  await eventually(async () => !(await buyer.call<Ticket[]>('GET', '/api/tickets')).body.some((t) => t.id === ticket.id));
  const reserved = await buyer.call<Ticket>('GET', `/api/tickets/${ticket.id}`);
  expect(reserved.body.orderId).toBe(order.id);
  return { ticket, order };
}

describe('the whole system over HTTP (REPLICAS=2)', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({ replicas: 2 });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('purchase: list → order → pay with tok_visa → complete, ticket no longer listed', async () => {
    await purchaseFlow(stack.gatewayUrl);
    await purchaseFlow(stack.gatewayUrl);
  });

  it('each event was handled once per service, across both replicas', async () => {
    const expected: Record<string, { services: string[]; count: number }> = {
      'ticket.created': { services: ['orders'], count: 2 },
      'order.created': { services: ['tickets', 'payments', 'expiration'], count: 2 },
      'payment.created': { services: ['orders'], count: 2 },
      'order.completed': { services: ['payments'], count: 2 },
      'payment.captured': { services: ['orders'], count: 2 },
    };
    for (const [subject, { services, count }] of Object.entries(expected)) {
      for (const service of services) {
        await eventually(async () => {
          let total = 0;
          for (const replica of [1, 2]) {
            const text = await (await fetch(`${stack.urlOf(`${service}-${replica}`)}/metrics`)).text();
            total += sumMetric(text, 'events_handled_total', { subject, outcome: 'ack' });
          }
          if (total !== count) throw new Error(`${service} handled ${subject} ${total} times, expected ${count}`);
          return true;
        });
      }
    }
  });
});

describe('expiration with a 3-second window', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack({ env: { EXPIRATION_WINDOW_SECONDS: '3' } });
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('an unpaid order becomes cancelled and the ticket is listed again', async () => {
    const base = stack.gatewayUrl;
    const seller = await new Shopper(base).signup();
    const buyer = await new Shopper(base).signup();
    const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Short window', price: 10 })).body;
    const order = await eventually(async () => {
      const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
      return res.status === 201 ? res.body : undefined;
    });
    expect(new Date(order.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3_000);
    await eventually(async () => !(await buyer.call<Ticket[]>('GET', '/api/tickets')).body.some((t) => t.id === ticket.id));
    await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'cancelled', { timeoutMs: 30_000 });
    await eventually(async () => (await buyer.call<Ticket[]>('GET', '/api/tickets')).body.some((t) => t.id === ticket.id), { timeoutMs: 30_000 });
    const late = await buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
    expect(late.status).toBe(400);
  });
});
