import { eventually } from '@ticketing/dev-servers';
import { Shopper } from '../support/api';
import { startE2EStack, type E2EStack } from '../support/stack';
import type { Order } from '@ticketing/client/lib/api/types';

/** The tickets service's view of a ticket (status, holder) and its code answers. */
interface Ticket {
  id: string;
  title: string;
  price: number;
  status: 'available' | 'reserved' | 'sold' | 'delisted';
  userId: string;
  organizerId: string;
  holderId?: string;
  checkedIn: boolean;
}
interface TicketCode {
  ticketId: string;
  code: string;
  delivery: number;
  checkedIn: boolean;
}

/** `buyer` orders and pays `ticketId`; resolves once the ticket is delivered to them. */
async function buy(buyer: Shopper, ticketId: string): Promise<Order> {
  const order = await eventually(async () => {
    const res = await buyer.call<Order>('POST', '/api/orders', { ticketId });
    return res.status === 201 ? res.body : undefined;
  });
  await eventually(async () => {
    const res = await buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
    return res.status === 201 || res.status === 202;
  });
  await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'complete');
  await eventually(async () => (await buyer.call<Ticket>('GET', `/api/tickets/${ticketId}`)).body.holderId === buyer.id, { timeoutMs: 30_000 });
  return order;
}

describe('a delivered ticket: code, check-in, resale, the next holder admitted', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack();
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('buy → code → organizer checks in → holder resells (old code superseded) → second buyer buys → their code admits', async () => {
    const base = stack.gatewayUrl;
    const organizer = await new Shopper(base).signup();
    const first = await new Shopper(base).signup();
    const second = await new Shopper(base).signup();
    const ticket = (await organizer.call<Ticket>('POST', '/api/tickets', { title: 'E2E resale', price: 30, resaleCapPercent: 20 })).body;

    await buy(first, ticket.id);
    const sold = (await first.call<Ticket>('GET', `/api/tickets/${ticket.id}`)).body;
    expect(sold).toMatchObject({ status: 'sold', holderId: first.id, organizerId: organizer.id, checkedIn: false });
    expect((await first.call<Ticket[]>('GET', '/api/tickets/mine')).body.map((t) => t.id)).toEqual([ticket.id]);

    const code = await first.call<TicketCode>('GET', `/api/tickets/${ticket.id}/code`);
    expect(code.status).toBe(200);
    expect(code.body).toMatchObject({ ticketId: ticket.id, delivery: 1, checkedIn: false });
    expect((await second.call('GET', `/api/tickets/${ticket.id}/code`)).status).toBe(403);
    const keys = await fetch(`${base}/api/tickets/code-keys`).then((r) => r.json() as Promise<{ keys: { kid: string; alg: string }[] }>);
    expect(keys.keys).toEqual([expect.objectContaining({ alg: 'ES256' })]);

    const admitted = await organizer.call('POST', `/api/tickets/${ticket.id}/checkin`, { code: code.body.code });
    expect(admitted.status).toBe(200);
    expect(admitted.body).toMatchObject({ admitted: true, ticketId: ticket.id, holderId: first.id });
    const twice = await organizer.call('POST', `/api/tickets/${ticket.id}/checkin`, { code: code.body.code });
    expect(twice.status).toBe(409);
    expect(twice.body).toEqual({ errors: [{ message: 'Ticket already used' }] });

    // Resale above face value + 20 % is refused; at the cap it is listed again.
    const tooMuch = await first.call('PUT', `/api/tickets/${ticket.id}`, { title: 'E2E resale', price: 36.01 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body).toEqual({ errors: [{ message: 'Resale price may not exceed $36.00', field: 'price' }] });
    const resale = await first.call<Ticket>('PUT', `/api/tickets/${ticket.id}`, { title: 'E2E resale', price: 36 });
    expect(resale.status).toBe(200);
    expect(resale.body).toMatchObject({ status: 'available', userId: first.id, price: 36 });
    const superseded = await organizer.call('POST', `/api/tickets/${ticket.id}/checkin`, { code: code.body.code });
    expect(superseded.status).toBe(409);
    expect(superseded.body).toEqual({ errors: [{ message: 'Ticket code was superseded' }] });
    await eventually(async () => (await second.call<Ticket[]>('GET', '/api/tickets?q=E2E%20resale')).body.some((t) => t.id === ticket.id));

    await buy(second, ticket.id);
    expect((await first.call('GET', `/api/tickets/${ticket.id}/code`)).status).toBe(403);
    const newCode = await second.call<TicketCode>('GET', `/api/tickets/${ticket.id}/code`);
    expect(newCode.body).toMatchObject({ delivery: 2, checkedIn: false });
    expect((await organizer.call('POST', `/api/tickets/${ticket.id}/checkin`, { code: code.body.code })).body).toEqual({
      errors: [{ message: 'Ticket code was superseded' }],
    });
    const admittedAgain = await organizer.call('POST', `/api/tickets/${ticket.id}/checkin`, { code: newCode.body.code });
    expect(admittedAgain.status).toBe(200);
    expect(admittedAgain.body).toMatchObject({ admitted: true, holderId: second.id });

    const listings = await first.call<(Ticket & { sales: { buyerId: string; price: number }[] })[]>('GET', '/api/tickets/listings');
    expect(listings.body).toEqual([expect.objectContaining({ id: ticket.id, status: 'sold', sales: [expect.objectContaining({ buyerId: second.id, price: 36 })] })]);
  });
});
