import { isStreamNotFound, type Logger } from '@ticketing/common';
import { JSONCodec, type JetStreamClient, type JetStreamManager } from 'nats';
import { LIVE_STREAM_NAMES, type Cursor, type LiveStream } from '../cursor';
import { liveMessageOf, OrderOwners, type LiveMessage } from '../messages';
import { followStream, readRange, type StreamMessage } from './stream-reader';

/** One stream message as the hub hands it on: where it is, and what it becomes (null: nothing to show). */
export interface Envelope {
  stream: LiveStream;
  seq: number;
  message: LiveMessage | null;
}

/** A connection as the hub sees it: it receives every envelope once the connection is live. */
export interface HubSubscriber {
  receive(envelope: Envelope): void;
}

/** The recent messages of one stream, and from where on it holds all that matter. */
class ReplayBuffer {
  private readonly items: Envelope[] = [];
  /** Every message with seq > coversAfter that shows anything is in `items`. */
  coversAfter: number;
  constructor(
    private readonly capacity: number,
    start: number,
  ) {
    this.coversAfter = start;
  }

  push(e: Envelope): void {
    if (!e.message) return;
    this.items.push(e);
    if (this.items.length > this.capacity) this.coversAfter = this.items.shift()!.seq;
  }

  between(after: number, upTo: number): Envelope[] | undefined {
    if (after < this.coversAfter) return undefined;
    return this.items.filter((e) => e.seq > after && e.seq <= upTo);
  }
}

export interface HubOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  replayBuffer: number;
  /** Most messages per stream one reconnect may replay; further behind, the client reloads instead. */
  maxReplay?: number;
  pullWaitMs?: number;
}

export const DEFAULT_MAX_REPLAY = 10_000;

/**
 * This replica's view of the three streams: one ordered consumer each, from the end of the
 * stream at start, fanned out to every live connection; the recent messages are kept to
 * replay a reconnect, older ones are read back from the stream.
 */
export class LiveHub {
  /** The last sequence handed on, per stream. */
  readonly head = {} as Cursor;
  private readonly buffers = {} as Record<LiveStream, ReplayBuffer>;
  private readonly subscribers = new Set<HubSubscriber>();
  private readonly owners = new OrderOwners();
  private readonly codec = JSONCodec();
  private followers: { stop(): Promise<void> }[] = [];

  constructor(private readonly opts: HubOptions) {}

  async start(): Promise<void> {
    for (const stream of LIVE_STREAM_NAMES) {
      const info = await this.streamInfo(stream);
      this.head[stream] = info.state.last_seq;
      this.buffers[stream] = new ReplayBuffer(this.opts.replayBuffer, info.state.last_seq);
    }
    this.followers = LIVE_STREAM_NAMES.map((stream) =>
      followStream(this.opts.js, this.opts.jsm, stream, {
        fromSeq: this.head[stream] + 1,
        pullWaitMs: this.opts.pullWaitMs,
        onMessage: (m) => this.ingest(stream, m),
        onError: (err) => this.opts.logger.warn({ err, stream }, 'live: re-reading the stream'),
      }),
    );
  }

  /** The stream's state, once its owner has created it (the services may start in any order). */
  private async streamInfo(stream: LiveStream) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.opts.jsm.streams.info(stream);
      } catch (err) {
        if (!isStreamNotFound(err)) throw err;
        if (attempt % 20 === 0) this.opts.logger.info({ stream }, 'live: waiting for the stream to be created by its owner');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.followers.map((f) => f.stop()));
  }

  subscribe(s: HubSubscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  /**
   * What shows between `after` and `upTo` on `stream`: from the replay buffer, or read back from
   * the stream (whatever its retention kept).
   */
  async between(stream: LiveStream, after: number, upTo: number): Promise<Envelope[]> {
    if (upTo <= after) return [];
    if (!this.canReplay(after, upTo)) throw new Error(`live: ${upTo - after} messages to replay on ${stream}: too many`);
    const buffered = this.buffers[stream].between(after, upTo);
    if (buffered) return buffered;
    const read = await readRange(this.opts.js, this.opts.jsm, stream, after + 1, upTo);
    return read.map((m) => this.envelope(stream, m));
  }

  /** Whether a reconnect that far behind may be replayed (else it is told to reload). */
  canReplay(after: number, upTo: number): boolean {
    return upTo - after <= (this.opts.maxReplay ?? DEFAULT_MAX_REPLAY);
  }

  private envelope(stream: LiveStream, m: StreamMessage): Envelope {
    let payload: unknown;
    try {
      payload = this.codec.decode(m.data);
    } catch {
      payload = undefined;
    }
    return { stream, seq: m.seq, message: liveMessageOf(m.subject, payload, this.owners) };
  }

  private ingest(stream: LiveStream, m: StreamMessage): void {
    const e = this.envelope(stream, m);
    this.head[stream] = m.seq;
    this.buffers[stream].push(e);
    for (const s of this.subscribers) s.receive(e);
  }
}
