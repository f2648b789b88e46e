import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResults } from './run';

type Row = [string, string | number, string | number, string | number, string | number, string | number, string | number, string];

const fmt = (v: number) => (Number.isFinite(v) ? String(v) : '–');

/** Timed-out requests have no latency sample: say so next to the percentiles. */
const timedOut = (l: { timeouts: number }) => (l.timeouts ? `; ${l.timeouts} timed out (> 10 s, not in the percentiles)` : '');

/** The scale-out run's rows (read, both races), beside the main run's. */
function scaleOutRows(r: BenchResults): Row[] {
  const x = r.replicas2;
  if (!x) return [];
  const tag = `REPLICAS=${x.replicas}`;
  const race = (name: string, l: typeof x.contention, successes: number): Row => [
    `${name} (${tag})`,
    l.requests,
    l.errors + l.serverErrors,
    '–',
    l.latency.p50,
    l.latency.p95,
    l.latency.p99,
    `${l.requests} buyers, 1 ticket → ${successes} order placed${timedOut(l)}`,
  ];
  return [
    [
      `1 read: gateway (${tag})`,
      x.read.requests,
      x.read.errors + x.read.serverErrors,
      fmt(x.read_rps),
      x.read.latency.p50,
      x.read.latency.p95,
      x.read.latency.p99,
      `same read, ${x.replicas} replicas of every service; ÷ bare = ${x.read_ratio}; load average ${x.loadavg_start.join(' / ')} → ${x.loadavg_end.join(' / ')}${timedOut(x.read)}`,
    ],
    race('2 contention', x.contention, x.contention_successes),
    race('2b contention (small)', x.contention50, x.contention50_successes),
  ];
}

/** One row per scenario: what was done, how many, errors, rate and latency percentiles. */
export function rows(r: BenchResults): Row[] {
  const d = r.details;
  const statuses = (s: Record<string, number>) =>
    Object.entries(s)
      .map(([c, n]) => `${c}×${n}`)
      .join(' ');
  const httpErrors = (l: { errors: number; serverErrors: number; statusCounts: Record<string, number> }, ok: string[]) =>
    l.errors + Object.entries(l.statusCounts).reduce((n, [c, k]) => (ok.includes(c) ? n : n + k), 0);
  return [
    [
      '1 read: gateway',
      d.read.gateway.requests,
      httpErrors(d.read.gateway, ['200']),
      fmt(r.read_rps),
      d.read.gateway.latency.p50,
      d.read.gateway.latency.p95,
      d.read.gateway.latency.p99,
      `GET /api/tickets, ${r.sizes.readConnections} conns × ${r.sizes.readSeconds} s, page of ${d.read.page_size} (${d.read.body_bytes} B) of ${r.sizes.readTickets} listed${timedOut(d.read.gateway)}`,
    ],
    [
      '1 read: bare node http',
      d.read.bare.requests,
      httpErrors(d.read.bare, ['200']),
      fmt(r.bare_rps),
      d.read.bare.latency.p50,
      d.read.bare.latency.p95,
      d.read.bare.latency.p99,
      `same body, same load → gateway/bare = ${r.read_ratio}`,
    ],
    [
      '2 contention',
      d.contention.load.requests,
      d.contention.load.errors + d.contention.load.serverErrors,
      '–',
      d.contention.load.latency.p50,
      d.contention.load.latency.p95,
      d.contention.load.latency.p99,
      `${r.contention_buyers} buyers, 1 ticket → ${r.contention_successes} order placed (${statuses(d.contention.load.statusCounts)})${timedOut(d.contention.load)}`,
    ],
    [
      '2b contention (small)',
      d.contention50.load.requests,
      d.contention50.load.errors + d.contention50.load.serverErrors,
      '–',
      d.contention50.load.latency.p50,
      d.contention50.load.latency.p95,
      d.contention50.load.latency.p99,
      `${r.contention50_buyers} buyers, 1 ticket → ${r.contention50_successes} order placed (${statuses(d.contention50.load.statusCounts)})${timedOut(d.contention50.load)}`,
    ],
    ...scaleOutRows(r),
    [
      '3 ramp',
      d.ramp.load.requests,
      r.ramp_errors,
      fmt(r.ramp_rps),
      d.ramp.load.latency.p50,
      d.ramp.load.latency.p95,
      d.ramp.load.latency.p99,
      `0 → ${r.sizes.rampConnections} conns over ${r.sizes.rampSeconds} s, ${Math.round(r.sizes.rampOrderShare * 100)}% order attempts (${statuses(d.ramp.load.statusCounts)})${timedOut(d.ramp.load)}`,
    ],
    [
      '4 saga',
      r.sizes.sagaBuyers,
      r.saga_errors,
      `${fmt(r.saga_per_s)} purchases/s`,
      d.saga.purchase.p50,
      d.saga.purchase.p95,
      d.saga.purchase.p99,
      `order → pay (tok_visa) → reads complete, ${r.sizes.sagaConcurrency} buyers at a time; ${d.saga.completed} completed in ${d.saga.wallS} s, ${d.saga.paymentRetries} client payment retries (503 + Retry-After: the payments replica had not heard of the order after waiting 2.5 s)`,
    ],
    [
      '5 replication lag',
      d.lag.events,
      d.lag.errors,
      `${r.sizes.lagRate} tickets/s`,
      fmt(r.lag_p50_ms),
      '–',
      fmt(r.lag_p99_ms),
      `${d.lag.bySubject.map((s) => `${s.service} ${s.subject}: ${s.events} events p50 ${fmt(s.p50Ms)} p99 ${fmt(s.p99Ms)}`).join('; ')}`,
    ],
    [
      '6 expiry lateness',
      d.expiry.orders,
      d.expiry.errors,
      '–',
      fmt(r.expiry_late_p50_ms),
      fmt(d.expiry.lateness.p95),
      fmt(r.expiry_late_p99_ms),
      `${d.expiry.windowSeconds} s window, expiresAt → reads cancelled (polled every ${d.expiry.pollMs} ms, 250 ms once 2 s late), ${d.expiry.expired} expired; ${d.expiry.stages
        .map((s) => `${s.stage}: p50 ${fmt(s.p50Ms)} p99 ${fmt(s.p99Ms)}`)
        .join('; ')}`,
    ],
  ];
}

const HEADER = ['scenario', 'requests', 'errors', 'rate', 'p50 ms', 'p95 ms', 'p99 ms', 'notes'];

export function markdownTable(r: BenchResults): string {
  const lines = [HEADER, HEADER.map(() => '---'), ...rows(r).map((row) => row.map(String))];
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}

/** Fixed-width table for the terminal (notes column last, unpadded). */
export function textTable(r: BenchResults): string {
  const all = [HEADER, ...rows(r).map((row) => row.map(String))];
  const widths = HEADER.map((_, i) => (i === HEADER.length - 1 ? 0 : Math.max(...all.map((row) => row[i].length))));
  return all.map((row) => row.map((c, i) => (widths[i] ? c.padEnd(widths[i]) : c)).join('  ')).join('\n');
}

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  return `${m.cores} cores (${m.cpu}), Node ${m.node}, ${m.platform}; edge: ${r.edge}; load average ${m.loadavg_start.join(' / ')} at the start, ${m.loadavg_end.join(' / ')} at the end (the machine was shared); MongoDB-wire server: ${r.mongo}`;
}

/** Scenario × process table of `values` (columns: processes, largest total first). */
function perProcessTable(title: string, values: Record<string, Record<string, number>>): string {
  const scenarios = Object.keys(values);
  const totals = new Map<string, number>();
  for (const sc of scenarios) for (const [p, v] of Object.entries(values[sc])) totals.set(p, (totals.get(p) ?? 0) + v);
  const procs = [...totals].sort((a, b) => b[1] - a[1]).map(([p]) => p);
  const header = [title, ...procs];
  const lines = [header, header.map(() => '---'), ...scenarios.map((sc) => [sc, ...procs.map((p) => String(values[sc][p] ?? '–'))])];
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}

/** CPU seconds each process used during each scenario: where the machine's time went. */
export function cpuTable(r: BenchResults): string {
  return perProcessTable('CPU seconds', r.details.cpu_seconds);
}

/** CPU ms per request (saga: per purchase) per process; the scale-out run's rows are tagged. */
export function cpuPerRequestTable(r: BenchResults): string {
  const x = r.replicas2;
  const tagged = x ? Object.fromEntries(Object.entries(x.cpu_ms_per_request).map(([sc, v]) => [`${sc} (REPLICAS=${x.replicas})`, v])) : {};
  return perProcessTable('CPU ms per request', { ...r.details.cpu_ms_per_request, ...tagged });
}

/** Peak resident memory per process (MB). */
export function peakRssTable(r: BenchResults): string {
  const x = r.replicas2;
  return perProcessTable('peak RSS MB', { 'REPLICAS=1 run': r.details.peak_rss_mb, ...(x ? { [`REPLICAS=${x.replicas} run`]: x.peak_rss_mb } : {}) });
}

/** Hand-written sections (## Profiling …) survive a re-run: everything from this heading on is kept. */
const KEEP_FROM = '\n## Profiling';

export function writeResultsMarkdown(file: string, r: BenchResults): void {
  const kept = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const tail = kept.includes(KEEP_FROM) ? kept.slice(kept.indexOf(KEEP_FROM)) : '';
  const text = [
    '# Benchmark results',
    '',
    `Latest run: ${r.date.slice(0, 10)} (${r.date}), \`npm run bench\`, BENCH_SCALE sizes in \`bench/results.json\`; took ${r.duration_s} s.`,
    '',
    `Machine: ${machineLine(r)}. The load generator (autocannon) runs on the same machine as the whole stack.`,
    '',
    markdownTable(r),
    '',
    `All scenarios ran on one stack started with default settings (15-minute order window; edge: ${r.edge}), except sign-up/sign-in rate limits off and no client; for scenario 6 its orders service was then restarted with EXPIRATION_WINDOW_SECONDS=2 (a 2 s window would let a slow contention race legitimately have a second winner after the first order expired). The REPLICAS=2 rows ran afterwards on a second stack with two replicas of every service. Latencies are every response's, in ms (exact percentiles over all samples), except replication lag, which is estimated from the services' \`event_handling_lag_seconds\` histogram buckets.`,
    '',
    'Where the time went — CPU seconds per process during each scenario (from /proc; 2 cores give at most 40 CPU seconds in 20 s, shared with whatever else runs on the machine):',
    '',
    cpuTable(r),
    '',
    'CPU ms per request per process (CPU seconds ÷ requests of the scenario; saga: per completed purchase; nginx: master + workers). On 2 cores a process cannot use more than 2 s per wall second: the sum over a row bounds the rate.',
    '',
    cpuPerRequestTable(r),
    '',
    `Peak resident memory per process, MB (VmHWM; nginx: master + workers summed; orders-1 read before its restart for scenario 6):`,
    '',
    peakRssTable(r),
    '',
  ].join('\n');
  writeFileSync(file, text + tail);
}
