import os from 'node:os';
import { cpuMeter } from './cpu';
import { summary, type LoadResult } from './load';
import { contentionScenario, type ContentionResult } from './scenarios/contention';
import { expiryScenario, type ExpiryResult } from './scenarios/expiry';
import { lagScenario, type LagResult } from './scenarios/lag';
import { rampScenario, type RampResult } from './scenarios/ramp';
import { readBare, readResult, readThroughGateway, type ReadResult } from './scenarios/read';
import { sagaScenario, type SagaResult } from './scenarios/saga';
import { listReplicatedTickets } from './scenarios/setup';
import type { Sizes } from './sizes';
import { restartWithEnv } from '@ticketing/local';
import { startBenchStack, type BenchStack } from './stack';
import { round } from './stats';

/** The window of the expiry scenario's orders. */
export const EXPIRY_WINDOW_SECONDS = 2;

export interface RunOptions {
  sizes: Sizes;
  log?: (line: string) => void;
}

type Summary = ReturnType<typeof summary>;
type PerProcess = Record<string, number>;

/** The scale-out run: read and both contention races on a stack with `replicas` of every service. */
export interface ScaleOutResults {
  replicas: number;
  read_rps: number;
  read_p95_ms: number;
  /** ÷ the main run's bare server rate. */
  read_ratio: number;
  contention_successes: number;
  contention_p95_ms: number;
  contention50_successes: number;
  contention50_p95_ms: number;
  loadavg_start: number[];
  loadavg_end: number[];
  cpu_seconds: Record<string, PerProcess>;
  cpu_ms_per_request: Record<string, PerProcess>;
  peak_rss_mb: PerProcess;
  read: Summary;
  contention: Summary;
  contention50: Summary;
}

export interface BenchResults {
  read_rps: number;
  read_p95_ms: number;
  bare_rps: number;
  read_ratio: number;
  contention_buyers: number;
  contention_successes: number;
  contention_p95_ms: number;
  contention50_buyers: number;
  contention50_successes: number;
  contention50_p95_ms: number;
  ramp_rps: number;
  ramp_p95_ms: number;
  ramp_errors: number;
  saga_per_s: number;
  saga_errors: number;
  saga_client_retries: number;
  lag_p50_ms: number;
  lag_p99_ms: number;
  expiry_late_p50_ms: number;
  expiry_late_p99_ms: number;
  /** The same read and contention scenarios with every service scaled out (sizes.scaleOutReplicas), or null. */
  replicas2: ScaleOutResults | null;
  date: string;
  machine: { cores: number; cpu: string; node: string; platform: string; loadavg_start: number[]; loadavg_end: number[] };
  mongo: string;
  edge: string;
  sizes: Sizes;
  duration_s: number;
  details: {
    read: { gateway: Summary; bare: Summary; page_size: number; body_bytes: number };
    contention: { buyers: number; successes: number; winners: ContentionResult['winners']; load: Summary };
    contention50: { buyers: number; successes: number; winners: ContentionResult['winners']; load: Summary };
    ramp: { load: Summary; orders_placed: number; order_attempts: number };
    saga: Omit<SagaResult, 'buyers'>;
    lag: LagResult;
    expiry: ExpiryResult;
    /** CPU seconds per process during each scenario (Linux /proc): where the time went. */
    cpu_seconds: Record<string, PerProcess>;
    /** CPU ms per request (saga: per purchase) per process, for the scenarios made of requests. */
    cpu_ms_per_request: Record<string, PerProcess>;
    /** Peak resident memory per process over the run (MB; nginx: master + workers). */
    peak_rss_mb: PerProcess;
    log_lines: Record<string, number>;
    error_lines: { name: string; line: string }[];
  };
}

const loadavg = () => os.loadavg().map((v) => round(v, 2));

/** Runs scenarios on `stack`, metering each: CPU seconds per process, and per request where `requests` says how many. */
function meteredRunner(stack: BenchStack) {
  const meter = cpuMeter(stack);
  const cpu: Record<string, PerProcess> = {};
  const perRequest: Record<string, PerProcess> = {};
  const measured = async <T>(name: string, run: () => Promise<T>, requests?: (result: T) => number): Promise<T> => {
    meter.start();
    const result = await run();
    cpu[name] = meter.stop();
    const n = requests?.(result);
    if (n) perRequest[name] = Object.fromEntries(Object.entries(cpu[name]).map(([p, s]) => [p, round((s * 1000) / n, 3)]));
    return result;
  };
  return { measured, cpu, perRequest, peakRss: () => meter.peakRss() };
}

const requestsOf = (l: LoadResult) => l.requests;

/** Read and both contention races on a stack with `replicas` of every service. */
async function scaleOutRun(sizes: Sizes, replicas: number, bareRps: number, log: (line: string) => void): Promise<ScaleOutResults> {
  const loadavgStart = loadavg();
  log(`scale-out: starting a stack with ${replicas} replicas of every service`);
  const stack = await startBenchStack({}, replicas);
  try {
    const { measured, cpu, perRequest, peakRss } = meteredRunner(stack);
    await listReplicatedTickets(stack, sizes.readTickets);
    log(`scale-out read: ${sizes.readConnections} connections × ${sizes.readSeconds} s`);
    const read = await measured('1 read (gateway)', () => readThroughGateway(stack, sizes), (r) => r.gateway.requests);
    log(`scale-out contention: ${sizes.contentionBuyers} buyers, then ${sizes.contentionSmallBuyers}`);
    const contention = await measured('2 contention', () => contentionScenario(stack, sizes.contentionBuyers), (r) => r.load.requests);
    const contention50 = await measured('2b contention (small)', () => contentionScenario(stack, sizes.contentionSmallBuyers), (r) => r.load.requests);
    return {
      replicas,
      read_rps: read.gateway.rps,
      read_p95_ms: read.gateway.latency.p95,
      read_ratio: round(read.gateway.rps / bareRps, 3),
      contention_successes: contention.successes,
      contention_p95_ms: contention.load.latency.p95,
      contention50_successes: contention50.successes,
      contention50_p95_ms: contention50.load.latency.p95,
      loadavg_start: loadavgStart,
      loadavg_end: loadavg(),
      cpu_seconds: cpu,
      cpu_ms_per_request: perRequest,
      peak_rss_mb: peakRss(),
      read: summary(read.gateway),
      contention: summary(contention.load),
      contention50: summary(contention50.load),
    };
  } finally {
    await stack.stop();
  }
}

/** Runs every scenario in order and gathers the figures. */
export async function runBench(opts: RunOptions): Promise<BenchResults> {
  const log = opts.log ?? (() => undefined);
  const { sizes } = opts;
  const startedAt = Date.now();
  const loadavgStart = loadavg();

  log('starting the stack');
  const stack = await startBenchStack();
  const mongo = stack.infra.mongo.detail;
  const edge = process.env.LOCAL_EDGE || 'nginx';
  let read: ReadResult, contention: ContentionResult, contention50: ContentionResult, ramp: RampResult, saga: SagaResult, lag: LagResult, expiry: ExpiryResult;
  const { measured, cpu, perRequest, peakRss } = meteredRunner(stack);
  let peak: PerProcess;
  try {
    log(`listing ${sizes.readTickets} tickets`);
    const listed = await measured('setup: list tickets', () => listReplicatedTickets(stack, sizes.readTickets), (t) => t.length);
    log(`read: ${sizes.readConnections} connections × ${sizes.readSeconds} s, gateway then bare`);
    const viaGateway = await measured('1 read (gateway)', () => readThroughGateway(stack, sizes), (r) => r.gateway.requests);
    const bare = await measured('1 read (bare)', () => readBare(viaGateway.body, sizes), requestsOf);
    read = readResult(viaGateway, bare);
    log(`contention: ${sizes.contentionBuyers} buyers, one ticket`);
    contention = await measured('2 contention', () => contentionScenario(stack, sizes.contentionBuyers), (r) => r.load.requests);
    log(`contention: ${sizes.contentionSmallBuyers} buyers, one ticket`);
    contention50 = await measured('2b contention (small)', () => contentionScenario(stack, sizes.contentionSmallBuyers), (r) => r.load.requests);
    log(`ramp: 0 → ${sizes.rampConnections} connections over ${sizes.rampSeconds} s`);
    ramp = await measured('3 ramp', () => rampScenario(stack, sizes, listed), (r) => r.load.requests);
    log(`saga: ${sizes.sagaBuyers} buyers`);
    const sagaTickets = await listReplicatedTickets(stack, sizes.sagaBuyers, 'Saga ticket');
    saga = await measured('4 saga (per purchase)', () => sagaScenario(stack, sizes, sagaTickets), (r) => r.completed);
    log(`lag: ${sizes.lagRate}/s for ${sizes.lagSeconds} s`);
    const lagPool = await listReplicatedTickets(stack, sizes.lagRate * sizes.lagSeconds, 'Lag pool ticket');
    lag = await measured('5 lag', () => lagScenario(stack, sizes, lagPool));
    // Before orders-1 restarts (its peak would start again).
    peak = peakRss();
    log(`restarting orders-1 with EXPIRATION_WINDOW_SECONDS=${EXPIRY_WINDOW_SECONDS}`);
    await restartWithEnv(stack, 'orders-1', { EXPIRATION_WINDOW_SECONDS: String(EXPIRY_WINDOW_SECONDS) });
    log(`expiry: ${sizes.expiryOrders} orders over ${sizes.expirySpreadSeconds} s`);
    const expiryTickets = await listReplicatedTickets(stack, sizes.expiryOrders, 'Expiry ticket');
    expiry = await measured('6 expiry', () => expiryScenario(stack, sizes, expiryTickets, EXPIRY_WINDOW_SECONDS));
  } finally {
    await stack.stop();
  }
  const loadavgEnd = loadavg();
  const replicas2 = sizes.scaleOutReplicas > 1 ? await scaleOutRun(sizes, sizes.scaleOutReplicas, read.bare.rps, log) : null;

  const { buyers: _buyers, ...sagaRest } = saga;
  const race = (c: ContentionResult) => ({ buyers: c.buyers, successes: c.successes, winners: c.winners, load: summary(c.load) });
  return {
    read_rps: read.gateway.rps,
    read_p95_ms: read.gateway.latency.p95,
    bare_rps: read.bare.rps,
    read_ratio: read.ratio,
    contention_buyers: contention.buyers,
    contention_successes: contention.successes,
    contention_p95_ms: contention.load.latency.p95,
    contention50_buyers: contention50.buyers,
    contention50_successes: contention50.successes,
    contention50_p95_ms: contention50.load.latency.p95,
    ramp_rps: ramp.load.rps,
    ramp_p95_ms: ramp.load.latency.p95,
    ramp_errors: ramp.errors,
    saga_per_s: saga.perSecond,
    saga_errors: saga.errors,
    saga_client_retries: saga.paymentRetries,
    lag_p50_ms: lag.p50Ms,
    lag_p99_ms: lag.p99Ms,
    expiry_late_p50_ms: expiry.lateness.p50,
    expiry_late_p99_ms: expiry.lateness.p99,
    replicas2,
    date: new Date(startedAt).toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      loadavg_start: loadavgStart,
      loadavg_end: loadavgEnd,
    },
    mongo,
    edge,
    sizes,
    duration_s: round((Date.now() - startedAt) / 1000),
    details: {
      read: { gateway: summary(read.gateway), bare: summary(read.bare), page_size: read.pageSize, body_bytes: read.bodyBytes },
      contention: race(contention),
      contention50: race(contention50),
      ramp: { load: summary(ramp.load), orders_placed: ramp.ordersPlaced, order_attempts: ramp.orderAttempts },
      saga: sagaRest,
      lag,
      expiry,
      cpu_seconds: cpu,
      cpu_ms_per_request: perRequest,
      peak_rss_mb: peak,
      log_lines: Object.fromEntries(stack.logLines),
      error_lines: stack.errorLines,
    },
  };
}
