import { randomObjectId } from '@ticketing/dev-servers';
import { call, mintCookie, type Order } from '../api';
import { load, type LoadResult } from '../load';
import type { BenchStack } from '../stack';
import { listReplicatedTickets } from './setup';

export interface Winner {
  id: string;
  createdAt: string;
  expiresAt: string;
  /** Read after the race. */
  statusAfter: string;
}

export interface ContentionResult {
  buyers: number;
  /** 201s: orders placed. Exactly one is correct (while the winner's order is not expired). */
  successes: number;
  /** The orders placed, read back after the race: a second winner is only right after the first expired. */
  winners: Winner[];
  load: LoadResult;
}

/**
 * `buyers` distinct signed-in buyers, each on a connection of its own, all started together,
 * send POST /api/orders for the same ticket; exactly one may win.
 */
export async function contentionScenario(stack: BenchStack, buyers: number): Promise<ContentionResult> {
  const [ticket] = await listReplicatedTickets(stack, 1, 'Contention ticket');
  const ids = Array.from({ length: buyers }, () => randomObjectId());
  const cookieOf = new Map(ids.map((id) => [id, mintCookie(stack, id)]));
  const cookies = [...cookieOf.values()];
  const placed: { id: string; userId: string; createdAt: string; expiresAt: string }[] = [];
  let next = 0;
  const body = JSON.stringify({ ticketId: ticket.id });
  const result = await load({
    url: `${stack.gatewayUrl}/api/orders`,
    connections: buyers,
    amount: buyers,
    timeout: 60,
    // Called once per connection as it is set up (then once more for a request never sent).
    setupRequest: () => ({
      method: 'POST',
      path: '/api/orders',
      headers: { 'content-type': 'application/json', cookie: cookies[next++ % cookies.length] },
      body,
    }),
    onResponse: (status, text) => {
      if (status === 201) placed.push(JSON.parse(text) as (typeof placed)[number]);
    },
  });
  const winners: Winner[] = [];
  for (const order of placed) {
    const res = await call<Order>(stack, 'GET', `/api/orders/${order.id}`, cookieOf.get(order.userId));
    winners.push({ id: order.id, createdAt: order.createdAt, expiresAt: order.expiresAt, statusAfter: res.status === 200 ? res.body.status : `HTTP ${res.status}` });
  }
  return { buyers, successes: result.statusCounts['201'] ?? 0, winners, load: result };
}
