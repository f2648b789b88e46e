import { call, mintCookie, sleep, type Order, type Ticket } from '../api';
import type { Sizes } from '../sizes';
import type { BenchStack } from '../stack';
import { percentiles, type Percentiles } from '../stats';

export interface ExpiryResult {
  orders: number;
  expired: number;
  errors: number;
  errorSamples: string[];
  windowSeconds: number;
  /** Time from expiresAt to the order first read as `cancelled` (ms). */
  lateness: Percentiles;
  pollMs: number;
}

/** Poll this often for the first FAST_POLL_FOR_MS after expiresAt, then every SLOW_POLL_MS. */
const POLL_MS = 50;
const FAST_POLL_FOR_MS = 2_000;
const SLOW_POLL_MS = 250;
const DEADLINE_MS = 60_000;

/**
 * Orders on a stack whose orders expire `windowSeconds` after being placed, placed evenly over
 * expirySpreadSeconds. From its `expiresAt` on, each order is polled (GET /api/orders/:id every
 * POLL_MS, every SLOW_POLL_MS once FAST_POLL_FOR_MS late) until it reads `cancelled`:
 * order.created → expiration worker's delayed Bull job → expiration.complete → orders cancels.
 * Polling adds up to one interval (plus a request) to each figure.
 */
export async function expiryScenario(stack: BenchStack, sizes: Sizes, tickets: Ticket[], windowSeconds: number): Promise<ExpiryResult> {
  const errors: string[] = [];
  const lateness: number[] = [];
  const intervalMs = (sizes.expirySpreadSeconds * 1000) / sizes.expiryOrders;
  await Promise.all(
    tickets.slice(0, sizes.expiryOrders).map(async (ticket, i) => {
      await sleep(i * intervalMs);
      try {
        await expireOne(ticket);
      } catch (err) {
        errors.push(`order for ticket ${ticket.id}: ${(err as Error).message}`);
      }
    }),
  );
  async function expireOne(ticket: Ticket) {
    const cookie = mintCookie(stack);
    const placed = await call<Order>(stack, 'POST', '/api/orders', cookie, { ticketId: ticket.id });
    if (placed.status !== 201) return void errors.push(`order: ${placed.status} ${JSON.stringify(placed.body)}`);
    const expiresAt = Date.parse(placed.body.expiresAt);
    const wait = expiresAt - Date.now();
    if (wait > 0) await sleep(wait);
    for (;;) {
      const seen = await call<Order>(stack, 'GET', `/api/orders/${placed.body.id}`, cookie);
      if (seen.status === 200 && seen.body.status === 'cancelled') {
        lateness.push(Date.now() - expiresAt);
        return;
      }
      if (seen.status !== 200 || Date.now() - expiresAt > DEADLINE_MS) {
        return void errors.push(`order ${placed.body.id} reads ${seen.status} ${seen.body?.status ?? ''}`);
      }
      // Back off once late: a hundred orders polled every 50 ms would themselves slow the
      // system down (and the expiry with it).
      await sleep(Date.now() - expiresAt < FAST_POLL_FOR_MS ? POLL_MS : SLOW_POLL_MS);
    }
  }
  return {
    orders: sizes.expiryOrders,
    expired: lateness.length,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
    windowSeconds,
    lateness: percentiles(lateness),
    pollMs: POLL_MS,
  };
}
