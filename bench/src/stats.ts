/** Latency summaries. Values in milliseconds. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentiles of the samples (exact, not bucketed). */
export function percentiles(samples: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(samples).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
  return { count: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), p99: round(at(0.99)), max: round(at(1)) };
}

/** A Prometheus histogram's cumulative bucket counts: upper bound (seconds; Infinity for +Inf) → count. */
export type Buckets = Map<number, number>;

/** The buckets of `name` over every series whose labels include `labels` (summed). */
export function parseHistogram(text: string, name: string, labels: Record<string, string> = {}): Buckets {
  const buckets: Buckets = new Map();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`)) continue;
    const labelPart = line.slice(line.indexOf('{') + 1, line.indexOf('}'));
    if (!Object.entries(labels).every(([k, v]) => labelPart.includes(`${k}="${v}"`))) continue;
    const le = /le="([^"]+)"/.exec(labelPart)?.[1];
    if (!le) continue;
    const bound = le === '+Inf' ? Infinity : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return buckets;
}

/** `after − before`, bucket by bucket: what was observed in between. */
export function subtractBuckets(after: Buckets, before: Buckets): Buckets {
  const out: Buckets = new Map();
  for (const [bound, count] of after) out.set(bound, count - (before.get(bound) ?? 0));
  return out;
}

export function addBuckets(...all: Buckets[]): Buckets {
  const out: Buckets = new Map();
  for (const b of all) for (const [bound, count] of b) out.set(bound, (out.get(bound) ?? 0) + count);
  return out;
}

export const bucketTotal = (b: Buckets) => b.get(Infinity) ?? 0;

/**
 * The q-quantile in milliseconds, ESTIMATED from cumulative buckets the way Prometheus'
 * histogram_quantile does: linear interpolation inside the bucket holding the rank (the first
 * bucket starts at 0). Only as fine as the buckets (1, 2.5, 5, 10, 25, 50, 100 ms …); a rank in
 * the +Inf bucket gives the largest finite bound (a lower bound of the truth).
 */
export function histogramQuantileMs(b: Buckets, q: number): number {
  const bounds = [...b.keys()].sort((x, y) => x - y);
  const total = bucketTotal(b);
  if (!total) return NaN;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const bound of bounds) {
    const count = b.get(bound)!;
    if (count >= rank) {
      if (bound === Infinity) return round(prevBound * 1000);
      const inBucket = count - prevCount;
      const frac = inBucket > 0 ? (rank - prevCount) / inBucket : 1;
      return round((prevBound + (bound - prevBound) * frac) * 1000);
    }
    prevBound = bound;
    prevCount = count;
  }
  return round(prevBound * 1000);
}

export { round };
