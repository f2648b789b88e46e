import os from 'node:os';
import { cpuMeter } from './cpu';
import { summary } from './load';
import { contentionScenario, type ContentionResult } from './scenarios/contention';
import { expiryScenario, type ExpiryResult } from './scenarios/expiry';
import { lagScenario, type LagResult } from './scenarios/lag';
import { rampScenario, type RampResult } from './scenarios/ramp';
import { readScenario, type ReadResult } from './scenarios/read';
import { sagaScenario, type SagaResult } from './scenarios/saga';
import { listReplicatedTickets } from './scenarios/setup';
import type { Sizes } from './sizes';
import { restartWithEnv, startBenchStack } from './stack';
import { round } from './stats';

/** The window of the expiry scenario's orders. */
export const EXPIRY_WINDOW_SECONDS = 2;

export interface RunOptions {
  sizes: Sizes;
  log?: (line: string) => void;
}

export interface BenchResults {
  read_rps: number;
  read_p95_ms: number;
  bare_rps: number;
  read_ratio: number;
  contention_buyers: number;
  contention_successes: number;
  contention_p95_ms: number;
  ramp_rps: number;
  ramp_p95_ms: number;
  ramp_errors: number;
  saga_per_s: number;
  saga_errors: number;
  lag_p50_ms: number;
  lag_p99_ms: number;
  expiry_late_p50_ms: number;
  expiry_late_p99_ms: number;
  date: string;
  machine: { cores: number; cpu: string; node: string; platform: string; loadavg_start: number[]; loadavg_end: number[] };
  mongo: string;
  sizes: Sizes;
  duration_s: number;
  details: {
    read: { gateway: ReturnType<typeof summary>; bare: ReturnType<typeof summary>; page_size: number; body_bytes: number };
    contention: { buyers: number; successes: number; winners: ContentionResult['winners']; load: ReturnType<typeof summary> };
    ramp: { load: ReturnType<typeof summary>; orders_placed: number; order_attempts: number };
    saga: Omit<SagaResult, 'buyers'>;
    lag: LagResult;
    expiry: ExpiryResult;
    /** CPU seconds per process during each scenario (Linux /proc): where the time went. */
    cpu_seconds: Record<string, Record<string, number>>;
    log_lines: Record<string, number>;
    error_lines: { name: string; line: string }[];
  };
}

const loadavg = () => os.loadavg().map((v) => round(v, 2));

/** Runs every scenario in order and gathers the figures. */
export async function runBench(opts: RunOptions): Promise<BenchResults> {
  const log = opts.log ?? (() => undefined);
  const { sizes } = opts;
  const startedAt = Date.now();
  const loadavgStart = loadavg();

  log('starting the stack');
  const stack = await startBenchStack();
  const mongo = stack.infra.mongo.detail;
  const cpu: Record<string, Record<string, number>> = {};
  let read: ReadResult, contention: ContentionResult, ramp: RampResult, saga: SagaResult, lag: LagResult, expiry: ExpiryResult;
  try {
    const meter = cpuMeter(stack);
    const measured = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      meter.start();
      const result = await run();
      cpu[name] = meter.stop();
      return result;
    };
    log(`listing ${sizes.readTickets} tickets`);
    const listed = await measured('setup: list tickets', () => listReplicatedTickets(stack, sizes.readTickets));
    log(`read: ${sizes.readConnections} connections × ${sizes.readSeconds} s, gateway then bare`);
    read = await measured('1 read (gateway + bare)', () => readScenario(stack, sizes));
    log(`contention: ${sizes.contentionBuyers} buyers, one ticket`);
    contention = await measured('2 contention', () => contentionScenario(stack, sizes.contentionBuyers));
    log(`ramp: 0 → ${sizes.rampConnections} connections over ${sizes.rampSeconds} s`);
    ramp = await measured('3 ramp', () => rampScenario(stack, sizes, listed));
    log(`saga: ${sizes.sagaBuyers} buyers`);
    const sagaTickets = await listReplicatedTickets(stack, sizes.sagaBuyers, 'Saga ticket');
    saga = await measured('4 saga', () => sagaScenario(stack, sizes, sagaTickets));
    log(`lag: ${sizes.lagRate}/s for ${sizes.lagSeconds} s`);
    const lagPool = await listReplicatedTickets(stack, sizes.lagRate * sizes.lagSeconds, 'Lag pool ticket');
    lag = await measured('5 lag', () => lagScenario(stack, sizes, lagPool));
    log(`restarting orders-1 with EXPIRATION_WINDOW_SECONDS=${EXPIRY_WINDOW_SECONDS}`);
    await restartWithEnv(stack, 'orders-1', { EXPIRATION_WINDOW_SECONDS: String(EXPIRY_WINDOW_SECONDS) });
    log(`expiry: ${sizes.expiryOrders} orders over ${sizes.expirySpreadSeconds} s`);
    const expiryTickets = await listReplicatedTickets(stack, sizes.expiryOrders, 'Expiry ticket');
    expiry = await measured('6 expiry', () => expiryScenario(stack, sizes, expiryTickets, EXPIRY_WINDOW_SECONDS));
  } finally {
    await stack.stop();
  }

  const { buyers: _buyers, ...sagaRest } = saga;
  return {
    read_rps: read.gateway.rps,
    read_p95_ms: read.gateway.latency.p95,
    bare_rps: read.bare.rps,
    read_ratio: read.ratio,
    contention_buyers: contention.buyers,
    contention_successes: contention.successes,
    contention_p95_ms: contention.load.latency.p95,
    ramp_rps: ramp.load.rps,
    ramp_p95_ms: ramp.load.latency.p95,
    ramp_errors: ramp.errors,
    saga_per_s: saga.perSecond,
    saga_errors: saga.errors,
    lag_p50_ms: lag.p50Ms,
    lag_p99_ms: lag.p99Ms,
    expiry_late_p50_ms: expiry.lateness.p50,
    expiry_late_p99_ms: expiry.lateness.p99,
    date: new Date(startedAt).toISOString(),
    machine: {
      cores: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
      loadavg_start: loadavgStart,
      loadavg_end: loadavg(),
    },
    mongo,
    sizes,
    duration_s: round((Date.now() - startedAt) / 1000),
    details: {
      read: { gateway: summary(read.gateway), bare: summary(read.bare), page_size: read.pageSize, body_bytes: read.bodyBytes },
      contention: { buyers: contention.buyers, successes: contention.successes, winners: contention.winners, load: summary(contention.load) },
      ramp: { load: summary(ramp.load), orders_placed: ramp.ordersPlaced, order_attempts: ramp.orderAttempts },
      saga: sagaRest,
      lag,
      expiry,
      cpu_seconds: cpu,
      log_lines: Object.fromEntries(stack.logLines),
      error_lines: stack.errorLines,
    },
  };
}
