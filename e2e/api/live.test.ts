import { eventually, SseClient } from '@ticketing/dev-servers';
import type { Order, PaymentAnswer, Ticket } from '@ticketing/client/lib/api/types';
import { Shopper } from '../support/api';
import { startE2EStack, type E2EStack } from '../support/stack';

/** Live updates through the gateway: Server-Sent Events from the live service, as a browser gets them. */
describe('live updates over /api/live', () => {
  let stack: E2EStack;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    stack = await startE2EStack({ replicas: 1 });
  }, 180_000);
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await stack?.stop();
  });
  const subscribe = async (shopper?: Shopper) => {
    const s = await SseClient.open(`${stack.gatewayUrl}/api/live`, shopper ? { cookie: [shopper.cookie] } : {});
    streams.push(s);
    expect([s.status, s.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/event-stream/)]);
    await s.waitFor((c) => c.frames.some((f) => f.id !== undefined));
    return s;
  };

  it("an anonymous visitor sees B's reservation live; B sees their order complete after paying; nobody else sees B's order", async () => {
    const seller = await new Shopper(stack.gatewayUrl).signup();
    const buyer = await new Shopper(stack.gatewayUrl).signup();
    const anonymous = await subscribe();
    const buyerStream = await subscribe(buyer);
    const sellerStream = await subscribe(seller);

    const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Live concert', price: 25 })).body;
    await anonymous.waitFor((c) => c.messages('ticket').some((m) => m.id === ticket.id && m.status === 'available'));

    const order = await eventually(async () => {
      const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id });
      return res.status === 201 ? res.body : undefined;
    });
    await anonymous.waitFor((c) => c.messages('ticket').some((m) => m.id === ticket.id && m.status === 'reserved'));
    await buyerStream.waitFor((c) => c.messages('order').some((m) => m.id === order.id && m.event === 'created'));

    await eventually(async () => {
      const res = await buyer.call<PaymentAnswer>('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' });
      return res.status === 201 || res.status === 202;
    });
    await buyerStream.waitFor((c) => c.messages('order').some((m) => m.id === order.id && m.event === 'completed'));
    expect((await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status).toBe('complete');

    // A public event after all of them: by then each stream has had (or skipped) the buyer's.
    const later = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Later concert', price: 30 })).body;
    for (const s of [anonymous, sellerStream]) {
      await s.waitFor((c) => c.messages('ticket').some((m) => m.id === later.id));
      expect(s.messages('order')).toEqual([]);
    }
  });
});
