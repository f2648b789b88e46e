import type { Envelope, HubSubscriber, LiveHub } from './feed/hub';
import { formatCursor, LIVE_STREAM_NAMES, type Cursor } from './cursor';

/** Where the frames of one SSE connection go (the HTTP response, in the route). */
export interface FrameSink {
  write(frame: string): void;
  close(): void;
}

/**
 * One browser's stream: catches up from its cursor (Last-Event-ID) to the hub's head, then
 * goes live. Each stream's messages are handed on in sequence order, each once: what the hub
 * delivers during the catch-up waits, and anything at or below the cursor is skipped.
 */
export class LiveConnection implements HubSubscriber {
  private readonly cursor = {} as Cursor;
  private waiting: Envelope[] | null = [];
  private unsubscribe?: () => void;
  private closed = false;

  constructor(
    private readonly hub: LiveHub,
    private readonly sink: FrameSink,
    /** The signed-in user, who also gets their private messages; undefined = public only. */
    private readonly userId: string | undefined,
  ) {}

  async start(from: Cursor | undefined): Promise<void> {
    // Subscribe before reading the head: every message after it reaches us through receive().
    this.unsubscribe = this.hub.subscribe(this);
    const head = { ...this.hub.head };
    // A cursor ahead of the stream (its data was reset) counts as the head.
    for (const stream of LIVE_STREAM_NAMES) this.cursor[stream] = Math.min(from?.[stream] ?? head[stream], head[stream]);
    // Too far behind to replay (a cursor from long ago, or a made-up one): start from now and
    // tell the page to load afresh what it shows.
    if (LIVE_STREAM_NAMES.some((s) => !this.hub.canReplay(this.cursor[s], head[s]))) {
      Object.assign(this.cursor, head);
      this.write(`event: reset\ndata: {}\n\n`);
    }
    for (const stream of LIVE_STREAM_NAMES) {
      for (const e of await this.hub.between(stream, this.cursor[stream], head[stream])) this.deliver(e);
      this.cursor[stream] = head[stream];
    }
    const waiting = this.waiting ?? [];
    this.waiting = null;
    for (const e of waiting) this.deliver(e);
    // Tell the browser where it is even if nothing was for it: an id without data sets its
    // Last-Event-ID without dispatching an event.
    this.write(`id: ${formatCursor(this.cursor)}\n\n`);
  }

  receive(e: Envelope): void {
    if (this.waiting) this.waiting.push(e);
    else this.deliver(e);
  }

  heartbeat(): void {
    this.write(': hb\n\n');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    this.sink.close();
  }

  private deliver(e: Envelope): void {
    if (e.seq <= this.cursor[e.stream]) return;
    this.cursor[e.stream] = e.seq;
    const m = e.message;
    if (!m || (m.audience !== undefined && m.audience !== this.userId)) return;
    this.write(`id: ${formatCursor(this.cursor)}\nevent: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`);
  }

  private write(frame: string): void {
    if (!this.closed) this.sink.write(frame);
  }
}
