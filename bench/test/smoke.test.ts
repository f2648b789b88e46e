import { markdownTable } from '../src/report';
import { runBench, type BenchResults } from '../src/run';
import type { Sizes } from '../src/sizes';

/** Every scenario, tiny: proves they run and report, never how fast anything is. */
const TINY: Sizes = {
  readTickets: 60,
  readConnections: 10,
  readSeconds: 1,
  contentionBuyers: 50,
  contentionSmallBuyers: 20,
  scaleOutReplicas: 2,
  rampConnections: 20,
  rampSeconds: 2,
  rampSteps: 4,
  rampOrderShare: 0.2,
  sagaBuyers: 5,
  sagaConcurrency: 5,
  lagRate: 10,
  lagSeconds: 1,
  expiryOrders: 5,
  expirySpreadSeconds: 1,
};

const KEYS = [
  'read_rps',
  'read_p95_ms',
  'bare_rps',
  'read_ratio',
  'contention_buyers',
  'contention_successes',
  'contention_p95_ms',
  'contention50_p95_ms',
  'saga_client_retries',
  'ramp_rps',
  'ramp_p95_ms',
  'ramp_errors',
  'saga_per_s',
  'saga_errors',
  'lag_p50_ms',
  'lag_p99_ms',
  'expiry_late_p50_ms',
  'expiry_late_p99_ms',
] as const;

describe('bench scenarios (smoke: tiny sizes, one stack)', () => {
  let results: BenchResults;
  beforeAll(async () => {
    results = await runBench({ sizes: TINY });
  }, 420_000);

  it('reports every figure as a finite number, with the machine and the MongoDB-wire server', () => {
    for (const key of KEYS) expect({ key, finite: Number.isFinite(results[key]) }).toEqual({ key, finite: true });
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toMatch(/^v\d+/);
    expect(results.machine.loadavg_start).toHaveLength(3);
    expect(typeof results.mongo).toBe('string');
    expect(results.mongo.length).toBeGreaterThan(0);
  });

  it('contention: of 50 distinct buyers racing for one ticket exactly one places the order', () => {
    expect(results.contention_buyers).toBe(50);
    expect(results.contention_successes).toBe(1);
    // everyone got an answer: the losers are told the ticket is reserved
    expect(results.details.contention.load.requests).toBe(50);
    expect(results.details.contention.load.statusCounts).toEqual({ '201': 1, '400': 49 });
  });

  it('contention at the small size, and both races again with 2 replicas of every service: exactly one winner each', () => {
    expect(results.contention50_buyers).toBe(20);
    expect(results.contention50_successes).toBe(1);
    expect(results.details.contention50.load.statusCounts).toEqual({ '201': 1, '400': 19 });
    const x = results.replicas2!;
    expect(x.replicas).toBe(2);
    expect(x.contention_successes).toBe(1);
    expect(x.contention50_successes).toBe(1);
    expect(x.read.statusCounts['200']).toBe(x.read.requests);
  });

  it('cost: CPU ms per request for every request scenario, and peak memory, per process (the edge included)', () => {
    const perRequest = results.details.cpu_ms_per_request;
    for (const scenario of ['1 read (gateway)', '2 contention', '2b contention (small)', '3 ramp', '4 saga (per purchase)']) {
      expect(Object.keys(perRequest[scenario])).toEqual(expect.arrayContaining(['gateway', 'tickets-1', 'orders-1', 'mongo', 'bench (load generator)']));
    }
    for (const p of ['gateway', 'tickets-1', 'orders-1', 'payments-1', 'mongo', 'nats', 'redis']) expect(results.details.peak_rss_mb[p]).toBeGreaterThan(0);
    expect(results.replicas2!.peak_rss_mb['tickets-2']).toBeGreaterThan(0);
  });

  it('read: the gateway and the bare server both served the page of listed tickets', () => {
    const { gateway, bare, page_size } = results.details.read;
    expect(page_size).toBe(50);
    expect(gateway.requests).toBeGreaterThan(0);
    expect(gateway.statusCounts['200']).toBe(gateway.requests);
    expect(bare.statusCounts['200']).toBe(bare.requests);
    expect(results.read_ratio).toBeGreaterThan(0);
  });

  it('ramp: mixed reads and order attempts, no server errors', () => {
    const { load, order_attempts } = results.details.ramp;
    expect(load.statusCounts['200']).toBeGreaterThan(0);
    expect(order_attempts).toBeGreaterThan(0);
    // 5xx only: a request timing out on a busy machine is speed, which this test never judges
    expect(load.serverErrors).toBe(0);
  });

  it('saga: every buyer accounted for, purchases completed', () => {
    const { saga } = results.details;
    expect(saga.completed + saga.errors).toBe(TINY.sagaBuyers);
    expect(saga.completed).toBeGreaterThan(0);
    expect(results.saga_per_s).toBeGreaterThan(0);
  });

  it('replication lag: the orders and payments services applied the scenario’s events', () => {
    const { lag } = results.details;
    expect(lag.errors).toBe(0);
    const events = (service: string, subject: string) => lag.bySubject.find((s) => s.service === service && s.subject === subject)?.events;
    expect(events('orders', 'ticket.created')).toBeGreaterThanOrEqual(lag.ticketsListed);
    expect(events('payments', 'order.created')).toBeGreaterThanOrEqual(lag.ordersPlaced);
    expect(lag.ticketsListed).toBe(TINY.lagRate * TINY.lagSeconds);
  });

  it('expiry: every order with a 2 s window was read as cancelled after its expiresAt', () => {
    const { expiry } = results.details;
    expect(expiry.windowSeconds).toBe(2);
    expect(expiry.expired).toBe(TINY.expiryOrders);
    expect(results.expiry_late_p50_ms).toBeGreaterThanOrEqual(0);
  });

  it('renders a table with one row per scenario', () => {
    const table = markdownTable(results);
    for (const name of ['read: gateway', 'read: bare', 'contention', 'contention (small)', 'REPLICAS=2', 'ramp', 'saga', 'replication lag', 'expiry']) expect(table).toContain(name);
  });
});
