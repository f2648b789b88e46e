import { eventually } from '@ticketing/dev-servers';
import type { Order, PaymentAnswer, Ticket } from '@ticketing/client/lib/api/types';
import { Shopper } from './api';

// The user-visible flows, run through whatever edge `baseUrl` is: `npm start` (e2e/api),
// docker compose (e2e/compose) and the test cluster. Waits are hang bounds, never timings:
// the same code runs on a loaded machine against containers.
const settle = { timeoutMs: 60_000 };

/** A seller lists a ticket, a buyer orders and pays; the order completes and the ticket leaves the list. */
export async function purchaseFlow(baseUrl: string): Promise<{ ticket: Ticket; order: Order }> {
  const seller = await new Shopper(baseUrl).signup();
  const buyer = await new Shopper(baseUrl).signup();
  const listed = await seller.call<Ticket>('POST', '/api/tickets', { title: 'E2E concert', price: 42.5 });
  expect(listed.status).toBe(201);
  const ticket = listed.body;

  const seen = await buyer.call<Ticket[]>('GET', '/api/tickets');
  expect(seen.body.map((t) => t.id)).toContain(ticket.id);

  // the orders service learns of the ticket by event
  const order = await eventually(async () => {
    const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
    return res.status === 201 ? res.body : undefined;
  }, settle);
  expect(order).toMatchObject({ status: 'created', ticket: { id: ticket.id, price: 42.5 } });

  // the payments service learns of the order by event
  const payment = await eventually(async () => {
    const res = await buyer.call<PaymentAnswer>('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
    // 201 captured; 202 authorised while the order decides (under load)
    return res.status === 201 || res.status === 202 ? res.body : undefined;
  }, settle);
  expect(payment.id).toMatch(/^[0-9a-f]{24}$/);

  await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'complete', settle);
  await eventually(async () => !(await buyer.call<Ticket[]>('GET', '/api/tickets')).body.some((t) => t.id === ticket.id), settle);
  const reserved = await buyer.call<Ticket>('GET', `/api/tickets/${ticket.id}`);
  expect(reserved.body.orderId).toBe(order.id);
  return { ticket, order };
}

/**
 * An unpaid order becomes cancelled after the expiration window and the ticket is listed
 * again; paying late is refused. `windowSeconds`: the EXPIRATION_WINDOW_SECONDS the system runs with.
 */
export async function expiryFlow(baseUrl: string, windowSeconds: number): Promise<{ ticket: Ticket; order: Order }> {
  const seller = await new Shopper(baseUrl).signup();
  const buyer = await new Shopper(baseUrl).signup();
  const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Short window', price: 10 })).body;
  const order = await eventually(async () => {
    const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
    return res.status === 201 ? res.body : undefined;
  }, settle);
  expect(new Date(order.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(windowSeconds * 1000);
  await eventually(async () => !(await buyer.call<Ticket[]>('GET', '/api/tickets')).body.some((t) => t.id === ticket.id), settle);
  const afterWindow = { timeoutMs: windowSeconds * 1000 + 60_000 };
  await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'cancelled', afterWindow);
  await eventually(async () => (await buyer.call<Ticket[]>('GET', '/api/tickets')).body.some((t) => t.id === ticket.id), afterWindow);
  const late = await buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
  expect(late.status).toBe(400);
  return { ticket, order };
}
