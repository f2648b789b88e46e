import { randomBytes } from 'node:crypto';
import { sleep } from '@ticketing/dev-servers';
import type { Order, Ticket } from '@ticketing/client/lib/api/types';
import type { Actor } from '../support/actor';

/**
 * A fresh ticket listed by `seller` and ordered by `buyer`, once it can be paid at once: the
 * tickets service confirmed it (awaiting:payment) and the payments service has heard of it
 * (its payment list answers). Races then start from the same line every time.
 */
export async function payableOrder(seller: Actor, buyer: Actor, price: number, timeoutMs = 60_000): Promise<Order> {
  const deadline = Date.now() + timeoutMs;
  const listed = await seller.call<Ticket>('POST', '/api/tickets', { title: `money ${randomBytes(3).toString('hex')}`, price });
  if (listed.status !== 201) throw new Error(`listing answered ${listed.status} ${JSON.stringify(listed.body)}`);
  let order: Order | undefined;
  while (Date.now() < deadline) {
    if (!order) {
      const placed = await buyer.call<Order>('POST', '/api/orders', { ticketId: listed.body.id });
      if (placed.status === 201) order = placed.body;
      else if (placed.status !== 404) throw new Error(`ordering answered ${placed.status} ${JSON.stringify(placed.body)}`);
    } else {
      const seen = await buyer.call<Order>('GET', `/api/orders/${order.id}`);
      if (seen.body.status === 'awaiting:payment' && (await buyer.call('GET', `/api/payments?orderId=${order.id}`)).status === 200) return seen.body;
      if (seen.body.status !== 'created' && seen.body.status !== 'awaiting:payment') throw new Error(`order reads ${seen.body.status}`);
    }
    await sleep(20);
  }
  throw new Error(`no payable order within ${timeoutMs} ms`);
}
