import { call, metricsOf, mintCookie, sleep, sumMetric, type Ticket } from '../api';
import type { Sizes } from '../sizes';
import type { BenchStack } from '../stack';
import { addBuckets, bucketTotal, histogramQuantileMs, parseHistogram, subtractBuckets, type Buckets } from '../stats';

export interface LagBySubject {
  service: string;
  subject: string;
  events: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LagResult {
  ticketsListed: number;
  ordersPlaced: number;
  errors: number;
  /** Over every event the orders and payments services applied during the scenario. */
  events: number;
  p50Ms: number;
  p99Ms: number;
  bySubject: LagBySubject[];
  note: string;
}

const WATCHED: { service: string; process: string; subjects: string[] }[] = [
  { service: 'orders', process: 'orders-1', subjects: ['ticket.created', 'ticket.updated'] },
  { service: 'payments', process: 'payments-1', subjects: ['order.created'] },
];

const HISTOGRAM = 'event_handling_lag_seconds';

async function snapshot(stack: BenchStack) {
  const out = new Map<string, { buckets: Buckets; acked: number }>();
  for (const w of WATCHED) {
    const text = await metricsOf(stack, w.process);
    for (const subject of w.subjects) {
      out.set(`${w.service} ${subject}`, {
        buckets: parseHistogram(text, HISTOGRAM, { subject }),
        acked: sumMetric(text, 'events_handled_total', { subject, outcome: 'ack' }),
      });
    }
  }
  return out;
}

/**
 * Steady traffic: every 1/lagRate s a seller lists a ticket (ticket.created → orders) and a
 * buyer orders one of `pool` (order.created → payments; the reservation's ticket.updated →
 * orders). Afterwards, once the services have acked it all, the age of each event when it was
 * applied comes from the services' own `event_handling_lag_seconds` histograms (the difference
 * between a snapshot before and after): JetStream's store time → handler done and acked.
 */
export async function lagScenario(stack: BenchStack, sizes: Sizes, pool: Ticket[]): Promise<LagResult> {
  const before = await snapshot(stack);
  const seller = mintCookie(stack);
  const total = Math.min(sizes.lagRate * sizes.lagSeconds, pool.length);
  const intervalMs = 1000 / sizes.lagRate;
  const sent: Promise<unknown>[] = [];
  let errors = 0;
  let listed = 0;
  let placed = 0;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = started + i * intervalMs - performance.now();
    if (wait > 0) await sleep(wait);
    sent.push(
      call(stack, 'POST', '/api/tickets', seller, { title: `Lag ticket ${i}`, price: 20 }).then(
        (r) => (r.status === 201 ? listed++ : errors++),
        () => errors++,
      ),
      call(stack, 'POST', '/api/orders', mintCookie(stack), { ticketId: pool[i].id }).then(
        (r) => (r.status === 201 ? placed++ : errors++),
        () => errors++,
      ),
    );
  }
  await Promise.all(sent);

  // Wait until every event is applied: listed ticket.created on orders, placed order.created on payments.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await snapshot(stack);
    const done =
      now.get('orders ticket.created')!.acked - before.get('orders ticket.created')!.acked >= listed &&
      now.get('payments order.created')!.acked - before.get('payments order.created')!.acked >= placed &&
      now.get('orders ticket.updated')!.acked - before.get('orders ticket.updated')!.acked >= placed;
    if (done || Date.now() > deadline) break;
    await sleep(200);
  }
  const after = await snapshot(stack);

  const bySubject: LagBySubject[] = [];
  const all: Buckets[] = [];
  for (const [key, { buckets }] of after) {
    const delta = subtractBuckets(buckets, before.get(key)!.buckets);
    all.push(delta);
    const [service, subject] = key.split(' ');
    bySubject.push({
      service,
      subject,
      events: bucketTotal(delta),
      p50Ms: histogramQuantileMs(delta, 0.5),
      p99Ms: histogramQuantileMs(delta, 0.99),
    });
  }
  const merged = addBuckets(...all);
  return {
    ticketsListed: listed,
    ordersPlaced: placed,
    errors,
    events: bucketTotal(merged),
    p50Ms: histogramQuantileMs(merged, 0.5),
    p99Ms: histogramQuantileMs(merged, 0.99),
    bySubject,
    note: 'estimated from histogram buckets (1, 2.5, 5, 10, 25, 50, 100, 250 ms …) by linear interpolation, as Prometheus histogram_quantile; from JetStream store time to the handler having applied and acked the event (outbox relay delay before the store is not included)',
  };
}
