import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { BenchResults } from './run';

type Row = [string, string | number, string | number, string | number, string | number, string | number, string | number, string];

const fmt = (v: number) => (Number.isFinite(v) ? String(v) : '–');

/** Timed-out requests have no latency sample: say so next to the percentiles. */
const timedOut = (l: { timeouts: number }) => (l.timeouts ? `; ${l.timeouts} timed out (> 10 s, not in the percentiles)` : '');

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
      `order → pay (tok_visa) → reads complete, ${r.sizes.sagaConcurrency} buyers at a time; ${d.saga.completed} completed in ${d.saga.wallS} s, ${d.saga.paymentRetries} payment retries (404 before the payments replica knew the order)`,
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
  return `${m.cores} cores (${m.cpu}), Node ${m.node}, ${m.platform}; load average ${m.loadavg_start.join(' / ')} at the start, ${m.loadavg_end.join(' / ')} at the end (the machine was shared); MongoDB-wire server: ${r.mongo}`;
}

/** CPU seconds each process used during each scenario: where the machine's time went. */
export function cpuTable(r: BenchResults): string {
  const scenarios = Object.keys(r.details.cpu_seconds);
  const totals = new Map<string, number>();
  for (const sc of scenarios) for (const [p, v] of Object.entries(r.details.cpu_seconds[sc])) totals.set(p, (totals.get(p) ?? 0) + v);
  const procs = [...totals].sort((a, b) => b[1] - a[1]).map(([p]) => p);
  const header = ['CPU seconds', ...procs];
  const lines = [header, header.map(() => '---'), ...scenarios.map((sc) => [sc, ...procs.map((p) => String(r.details.cpu_seconds[sc][p] ?? '–'))])];
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
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
    `All scenarios ran on one stack started with default settings (15-minute order window), except sign-up/sign-in rate limits off and no client; for scenario 6 its orders service was then restarted with EXPIRATION_WINDOW_SECONDS=2 (a 2 s window would let a slow contention race legitimately have a second winner after the first order expired). Latencies are every response's, in ms (exact percentiles over all samples), except replication lag, which is estimated from the services' \`event_handling_lag_seconds\` histogram buckets.`,
    '',
    'Where the time went — CPU seconds per process during each scenario (from /proc; 2 cores give at most 40 CPU seconds in 20 s, shared with whatever else runs on the machine):',
    '',
    cpuTable(r),
    '',
  ].join('\n');
  writeFileSync(file, text + tail);
}
