import { call, inParallel, mintCookie, sleep, type Order, type Ticket } from '../api';
import type { Sizes } from '../sizes';
import type { BenchStack } from '../stack';
import { percentiles, round, type Percentiles } from '../stats';

export interface SagaResult {
  buyers: number;
  completed: number;
  /** Completed purchases ÷ seconds from the first order to the last order reading `complete`. */
  perSecond: number;
  /** Unexpected answers, orders that never completed, and the like. */
  errors: number;
  errorSamples: string[];
  /** Client retries of POST /api/payments: answered 503 + Retry-After (or 404, before it waited) because the payments service had not yet learned of the order. */
  paymentRetries: number;
  /** Order placed → order reads `complete`, per buyer (ms). */
  purchase: Percentiles;
  wallS: number;
}

const PAY_DEADLINE_MS = 30_000;
const COMPLETE_DEADLINE_MS = 60_000;
const POLL_MS = 100;

/**
 * The whole purchase saga per buyer, each on a ticket of their own: POST /api/orders → POST
 * /api/payments with tok_visa (the payments service's offline sandbox), retried (counted)
 * while the payments service does not know the order yet (503 with Retry-After; 404 before it
 * waited for the order itself) → poll GET /api/orders/:id until it
 * reads `complete` (order.created → payments replica; payment.created → orders).
 */
export async function sagaScenario(stack: BenchStack, sizes: Sizes, tickets: Ticket[]): Promise<SagaResult> {
  const errors: string[] = [];
  let paymentRetries = 0;
  const durations: number[] = [];
  let lastComplete = 0;
  const started = performance.now();

  await inParallel(tickets.slice(0, sizes.sagaBuyers), sizes.sagaConcurrency, (ticket) =>
    purchase(ticket).catch((err: unknown) => void errors.push(`ticket ${ticket.id}: ${(err as Error).message}`)),
  );
  async function purchase(ticket: Ticket) {
    const cookie = mintCookie(stack);
    const t0 = performance.now();
    const placed = await call<Order>(stack, 'POST', '/api/orders', cookie, { ticketId: ticket.id });
    if (placed.status !== 201) return void errors.push(`order: ${placed.status} ${JSON.stringify(placed.body)}`);
    const orderId = placed.body.id;

    for (const deadline = Date.now() + PAY_DEADLINE_MS; ; ) {
      const paid = await call(stack, 'POST', '/api/payments', cookie, { orderId, token: 'tok_visa' });
      if (paid.status === 201 || paid.status === 202) break; // captured, or authorised and the order decides
      if (![404, 503].includes(paid.status) || Date.now() > deadline) return void errors.push(`payment: ${paid.status} ${JSON.stringify(paid.body)}`);
      paymentRetries++;
      await sleep(paid.status === 503 ? 1_000 : 20);
    }

    for (const deadline = Date.now() + COMPLETE_DEADLINE_MS; ; ) {
      const seen = await call<Order>(stack, 'GET', `/api/orders/${orderId}`, cookie);
      if (seen.status === 200 && seen.body.status === 'complete') break;
      if (seen.status !== 200 || seen.body.status === 'cancelled' || Date.now() > deadline) {
        return void errors.push(`order ${orderId} reads ${seen.status} ${seen.body?.status ?? ''}`);
      }
      await sleep(POLL_MS);
    }
    const now = performance.now();
    durations.push(now - t0);
    lastComplete = Math.max(lastComplete, now);
  }

  const wallS = ((lastComplete || performance.now()) - started) / 1000;
  return {
    buyers: sizes.sagaBuyers,
    completed: durations.length,
    perSecond: round(durations.length / wallS),
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
    paymentRetries,
    purchase: percentiles(durations),
    wallS: round(wallS, 2),
  };
}
