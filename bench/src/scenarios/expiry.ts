import { call, metricsOf, mintCookie, sleep, type Order, type Ticket } from '../api';
import type { Sizes } from '../sizes';
import type { BenchStack } from '../stack';
import { storedTimes } from '../stored-events';
import { bucketTotal, histogramQuantileMs, parseHistogram, percentiles, subtractBuckets, type Percentiles } from '../stats';

export interface ExpiryResult {
  orders: number;
  expired: number;
  errors: number;
  errorSamples: string[];
  windowSeconds: number;
  /** Time from expiresAt to the order first read as `cancelled` (ms). */
  lateness: Percentiles;
  pollMs: number;
  /**
   * Where the time went, step by step: the outbox relay (order written → order.created stored)
   * and the Bull timer (expiresAt → expiration.complete stored) exactly, from JetStream's store
   * times; the two handlers (stored → scheduled; stored → cancelled) from the services'
   * event_handling_lag_seconds histograms (estimated from buckets).
   */
  stages: { stage: string; events: number; p50Ms: number; p99Ms: number }[];
}

const STAGES = [
  { stage: 'order.created stored → expiry scheduled (expiration)', process: 'expiration-1', subject: 'order.created' },
  { stage: 'expiration.complete stored → order cancelled (orders)', process: 'orders-1', subject: 'expiration.complete' },
];

async function lagHistograms(stack: BenchStack) {
  return Promise.all(STAGES.map(async (s) => parseHistogram(await metricsOf(stack, s.process), 'event_handling_lag_seconds', { subject: s.subject })));
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
  const startedAt = Date.now();
  /** Per order: when it was written (createdAt) and when it was due (expiresAt). */
  const placedOrders = new Map<string, { createdAt: number; expiresAt: number }>();
  const intervalMs = (sizes.expirySpreadSeconds * 1000) / sizes.expiryOrders;
  const before = await lagHistograms(stack);
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
    placedOrders.set(placed.body.id, { createdAt: Date.parse(placed.body.createdAt), expiresAt });
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
  const after = await lagHistograms(stack);
  const stages = STAGES.map((s, i) => {
    const delta = subtractBuckets(after[i], before[i]);
    return { stage: s.stage, events: bucketTotal(delta), p50Ms: histogramQuantileMs(delta, 0.5), p99Ms: histogramQuantileMs(delta, 0.99) };
  });
  // The two steps the histograms do not see, from JetStream's own store times (exact).
  const nats = stack.infra.nats.server;
  const createdStored = await storedTimes<{ id: string }>(nats, 'order.created', startedAt, (d) => d.id);
  const expiredStored = await storedTimes<{ orderId: string }>(nats, 'expiration.complete', startedAt, (d) => d.orderId);
  const exact = (stage: string, values: number[]) => {
    const p = percentiles(values);
    return { stage, events: p.count, p50Ms: p.p50, p99Ms: p.p99 };
  };
  const relayDelays: number[] = [];
  const timerDelays: number[] = [];
  for (const [id, o] of placedOrders) {
    const stored = createdStored.get(id);
    if (stored !== undefined) relayDelays.push(stored - o.createdAt);
    const fired = expiredStored.get(id);
    if (fired !== undefined) timerDelays.push(fired - o.expiresAt);
  }
  stages.unshift(exact('order written → order.created stored (orders outbox relay; exact)', relayDelays));
  stages.splice(2, 0, exact('expiresAt → expiration.complete stored (Bull delayed job; exact)', timerDelays));
  return {
    orders: sizes.expiryOrders,
    expired: lateness.length,
    errors: errors.length,
    errorSamples: errors.slice(0, 5),
    windowSeconds,
    lateness: percentiles(lateness),
    pollMs: POLL_MS,
    stages,
  };
}
