import { markdownTable } from '../src/report';
import { runBench, type BenchResults } from '../src/run';
import type { Sizes } from '../src/sizes';

/** Every scenario, tiny: proves they run and report, never how fast anything is. */
const TINY: Sizes = {
  readTickets: 60,
  readConnections: 10,
  readSeconds: 1,
  contentionBuyers: 50,
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
  }, 180_000);

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
    for (const name of ['read: gateway', 'read: bare', 'contention', 'ramp', 'saga', 'replication lag', 'expiry']) expect(table).toContain(name);
  });
});
