import { metricsText, sumMetric } from '@ticketing/local';

/** A Prometheus counter selection: metric name and the labels a sample must have. */
export interface CounterSpec {
  key: string;
  name: string;
  labels: Record<string, string>;
}

/**
 * Sums counters over processes that restart. A restarted process starts its counters from
 * zero, so every scrape remembers the last value seen per process, and a value lower than
 * that banks the old one. Scraping right before a planned kill loses nothing; a crash between
 * scrapes loses at most what happened since the last one.
 */
export class CounterTracker {
  private readonly last = new Map<string, number>();
  private readonly banked = new Map<string, number>();

  constructor(
    private readonly specs: CounterSpec[],
    private readonly urlOf: (process: string) => string,
  ) {}

  async scrape(process: string): Promise<boolean> {
    const text = await metricsText(this.urlOf(process), 2_000);
    if (text === undefined) return false;
    for (const spec of this.specs) {
      const id = `${process}\u0000${spec.key}`;
      const value = sumMetric(text, spec.name, spec.labels);
      const before = this.last.get(id) ?? 0;
      if (value < before) this.banked.set(id, (this.banked.get(id) ?? 0) + before);
      this.last.set(id, value);
    }
    return true;
  }

  async scrapeAll(processes: string[]): Promise<void> {
    await Promise.all(processes.map((p) => this.scrape(p)));
  }

  /** Total of `key` over every process (and every life of it). */
  total(key: string, processFilter: (p: string) => boolean = () => true): number {
    let sum = 0;
    for (const map of [this.last, this.banked]) {
      for (const [id, v] of map) {
        const [p, k] = id.split('\u0000');
        if (k === key && processFilter(p)) sum += v;
      }
    }
    return sum;
  }
}
