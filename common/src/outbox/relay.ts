import type { Model } from 'mongoose';
import type { Logger, Metrics } from '../telemetry';
import type { Publisher } from '../nats/publisher';
import type { OutboxEntry } from './entry';
import { outboxSignal, type OutboxWrite } from './plugin';

export interface OutboxRelayOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  models: Model<any>[];
  publisher: Publisher;
  logger: Logger;
  metrics?: Metrics;
  /** How often to look for entries nobody signalled (other replicas, a crash). */
  pollIntervalMs?: number;
  /** Longest wait between attempts while the broker is unreachable. */
  maxBackoffMs?: number;
  batchSize?: number;
}

const PENDING = { 'outbox.0': { $exists: true } };
/**
 * Documents relayed at once. One at a time, the relay's rate was 1 / (JetStream ack + MongoDB
 * update) and it fell seconds behind under load (expiry lateness, payments hearing of orders
 * late); a document's own entries still go out one after another, in order.
 */
const DOCUMENTS_AT_ONCE = 16;

/**
 * Publishes outbox entries and then removes them. At least once: an entry is removed only
 * after JetStream acked it; a crash in between re-publishes it, and the deterministic
 * message id makes JetStream drop the copy. Several replicas may relay at once safely.
 */
export class OutboxRelay {
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;
  private readonly hinted = new Map<string, Set<string>>();
  private scanRequested = true;
  private backoff = 0;
  private readonly onWrite = (w: OutboxWrite) => {
    if (!this.opts.models.some((m) => m.modelName === w.model)) return;
    if (w.id === undefined) this.scanRequested = true;
    else {
      const ids = this.hinted.get(w.model) ?? new Set<string>();
      ids.add(w.id);
      this.hinted.set(w.model, ids);
    }
    this.wake?.();
  };

  constructor(private readonly opts: OutboxRelayOptions) {
    opts.metrics?.countOutboxBacklogWith(() => this.backlog());
  }

  /** Documents with entries still to publish (the outbox_backlog_documents gauge). */
  async backlog(): Promise<number> {
    const counts = await Promise.all(this.opts.models.map((m) => m.countDocuments(PENDING)));
    return counts.reduce((a, b) => a + b, 0);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    outboxSignal.on('write', this.onWrite);
    this.loopDone = this.loop();
  }

  /** Try again now, e.g. the broker is back: drop the backoff and rescan. */
  nudge(): void {
    this.backoff = 0;
    this.scanRequested = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    outboxSignal.off('write', this.onWrite);
    this.wake?.();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    const poll = this.opts.pollIntervalMs ?? 1_000;
    const maxBackoff = this.opts.maxBackoffMs ?? 5_000;
    let lastScan = 0;
    while (this.running) {
      try {
        const due = this.scanRequested || Date.now() - lastScan >= poll;
        if (due) {
          this.scanRequested = false;
          lastScan = Date.now();
          await this.publishPending();
        } else {
          await this.publishHinted();
        }
        this.backoff = 0;
      } catch (err) {
        this.backoff = Math.min(Math.max(this.backoff * 2, 100), maxBackoff);
        this.scanRequested = true;
        this.opts.logger.warn({ err, retryInMs: this.backoff }, 'outbox relay could not publish; will retry');
      }
      if (!this.running) break;
      if (this.hinted.size > 0 && this.backoff === 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.backoff || poll);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /** Publishes what this process just wrote. */
  private async publishHinted(): Promise<void> {
    for (const model of this.opts.models) {
      const ids = this.hinted.get(model.modelName);
      if (!ids?.size) continue;
      this.hinted.delete(model.modelName);
      const docs = await model.find({ _id: { $in: [...ids] }, ...PENDING }, { outbox: 1 }).lean();
      await this.publishDocuments(model, docs);
    }
  }

  /** Publishes every pending entry in the collections, a batch at a time. */
  async publishPending(): Promise<number> {
    let count = 0;
    this.hinted.clear();
    for (const model of this.opts.models) {
      for (;;) {
        const docs = await model
          .find(PENDING, { outbox: 1 })
          .limit(this.opts.batchSize ?? 100)
          .lean();
        count += await this.publishDocuments(model, docs);
        if (docs.length < (this.opts.batchSize ?? 100)) break;
      }
    }
    return count;
  }

  /** Up to DOCUMENTS_AT_ONCE documents at a time; after a failure no new one starts, and the first error is thrown once all have stopped. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async publishDocuments(model: Model<any>, docs: { _id: unknown; outbox?: OutboxEntry[] }[]): Promise<number> {
    let next = 0;
    let count = 0;
    const errors: unknown[] = [];
    const worker = async () => {
      while (next < docs.length && errors.length === 0) {
        const doc = docs[next++];
        try {
          count += await this.publishDocument(model, doc);
        } catch (err) {
          errors.push(err);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DOCUMENTS_AT_ONCE, docs.length) }, worker));
    if (errors.length) throw errors[0];
    return count;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private async publishDocument(model: Model<any>, doc: { _id: unknown; outbox?: OutboxEntry[] }): Promise<number> {
    const entries = doc.outbox ?? [];
    for (const entry of entries) {
      // The request that wrote the entry is the trace this publish belongs to.
      const ack = await this.opts.publisher.publish(entry.subject, entry.data as never, entry.id, entry.trace);
      // Entries go out in order, so the published one is the first: pop it only if it
      // still is (another relay may have got there first). Works on every stand-in server.
      await model.updateOne({ _id: doc._id, 'outbox.0.id': entry.id }, { $pop: { outbox: -1 } });
      this.opts.metrics?.outboxPublished.inc({ subject: entry.subject });
      this.opts.logger.debug({ subject: entry.subject, msgId: entry.id, duplicate: ack.duplicate }, 'outbox entry published');
    }
    return entries.length;
  }
}
