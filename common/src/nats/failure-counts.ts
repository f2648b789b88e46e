/**
 * Counted ("poison") handler failures per message, in this process only: the key is the
 * durable consumer and the stream sequence. Bounded: past `capacity` entries the least
 * recently touched one is forgotten. Forgetting (a restart, another replica taking the
 * message, eviction) only means a message gets more attempts before it is dead-lettered,
 * never fewer — nothing is given up on early.
 */
export class FailureCounts {
  private readonly counts = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Records one more failure of `key`; returns the count so far. */
  increment(key: string): number {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.delete(key); // re-insert: Map order is recency order
    this.counts.set(key, count);
    if (this.counts.size > this.capacity) this.counts.delete(this.counts.keys().next().value as string);
    return count;
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** The message was acked or terminated: it will not come back. */
  clear(key: string): void {
    this.counts.delete(key);
  }

  get size(): number {
    return this.counts.size;
  }
}
