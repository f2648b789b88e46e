import { eventually } from '@ticketing/dev-servers';
import { Shopper, sumMetric } from '../support/api';
import { FaultInjector } from '../support/faults';
import { startE2EStack, type E2EStack } from '../support/stack';
import type { Order, Ticket } from '@ticketing/client/lib/api/types';


/**
 * The price the buyer saw is the price of the ticket they hold: an order placed while the
 * tickets service cannot hear of it, and a seller's edit that therefore succeeds, end with the
 * order cancelled for a reason the buyer can read — never a reserved ticket at another price.
 */
describe('a seller edits a ticket an order was just placed on (NATS stopped in between)', () => {
  let stack: E2EStack;
  beforeAll(async () => {
    stack = await startE2EStack();
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('the order is cancelled (ticket-changed), the ticket is for sale at the new price, the order is never charged', async () => {
    const base = stack.gatewayUrl;
    const seller = await new Shopper(base).signup();
    const buyer = await new Shopper(base).signup();
    const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Edited concert', price: 20 })).body;
    // The orders service has the ticket (its owner is refused, not told "not found").
    await eventually(async () => (await seller.call('POST', '/api/orders', { ticketId: ticket.id })).status === 400);

    const nats = stack.infra.nats.server;
    await nats.stop();
    let order: Order;
    try {
      const placed = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
      expect(placed.status).toBe(201);
      order = placed.body;
      expect(order.ticket.price).toBe(20);
      // The tickets service has not heard of the order: the edit is accepted.
      const edit = await seller.call<Ticket>('PUT', `/api/tickets/${ticket.id}`, { title: 'Edited concert', price: 35 });
      expect(edit.status).toBe(200);
    } finally {
      await nats.start();
    }
    // Payments hears of the order before the tickets service (frozen until the early payment
    // is answered) has judged it: the buyer pays at once. No money is taken for an order the
    // tickets service has not confirmed. After NATS came back, payments' consumer may take a
    // while to pull again on a loaded machine (one CI run: over 15 s): generous bounds.
    let answered!: () => void;
    const earlyPaymentAnswered = new Promise<void>((resolve) => {
      answered = resolve;
    });
    const ticketsFrozen = new FaultInjector(stack).pause('tickets-1', 75_000, earlyPaymentAnswered);
    try {
      await eventually(
        async () => sumMetric(await (await fetch(`${stack.urlOf('payments-1')}/metrics`)).text(), 'events_handled_total', { subject: 'order.created', outcome: 'ack' }) >= 1,
        { timeoutMs: 60_000 },
      );
      const early = await buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
      expect(early.status).toBe(409);
    } finally {
      answered();
      await ticketsFrozen;
    }

    const cancelled = await eventually(
      async () => {
        const res = await buyer.call<Order>('GET', `/api/orders/${order.id}`);
        return res.body.status === 'cancelled' ? res.body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(cancelled.cancelReason).toBe('ticket-changed');

    const now = (await buyer.call<Ticket>('GET', `/api/tickets/${ticket.id}`)).body;
    expect(now.price).toBe(35);
    expect(now.orderId).toBeUndefined();

    // Once the payments service has the cancel, paying is refused.
    await eventually(
      async () => sumMetric(await (await fetch(`${stack.urlOf('payments-1')}/metrics`)).text(), 'events_handled_total', { subject: 'order.cancelled', outcome: 'ack' }) >= 1,
      { timeoutMs: 60_000 },
    );
    const pay = await buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
    expect(pay.status).toBe(400);

    // Another buyer orders it at the new price.
    const other = await new Shopper(base).signup();
    const next = await eventually(
      async () => {
        const res = await other.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
        return res.status === 201 ? res.body : undefined;
      },
      { timeoutMs: 60_000 },
    );
    expect(next.ticket.price).toBe(35);
  }, 240_000);
});
