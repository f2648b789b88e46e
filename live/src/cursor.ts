/** The streams the live service watches, and the letter each has in a cursor. */
export const LIVE_STREAMS = { TICKETS: 't', ORDERS: 'o', PAYMENTS: 'p' } as const;
export type LiveStream = keyof typeof LIVE_STREAMS;
export const LIVE_STREAM_NAMES = Object.keys(LIVE_STREAMS) as LiveStream[];

/** The last stream sequence a connection has been given (or skipped) on each stream. */
export type Cursor = Record<LiveStream, number>;

/** `t:12.o:40.p:7`: what an SSE message's `id` carries, and Last-Event-ID brings back. */
export function formatCursor(cursor: Cursor): string {
  return LIVE_STREAM_NAMES.map((s) => `${LIVE_STREAMS[s]}:${cursor[s]}`).join('.');
}

/** The cursor in a Last-Event-ID; undefined when it is absent or not one of ours. */
export function parseCursor(text: string | undefined): Cursor | undefined {
  if (!text || text.length > 100) return undefined;
  const parts = new Map<string, number>();
  for (const part of text.split('.')) {
    const m = /^([a-z]):(\d{1,15})$/.exec(part);
    if (!m) return undefined;
    parts.set(m[1], Number(m[2]));
  }
  const cursor = {} as Cursor;
  for (const s of LIVE_STREAM_NAMES) {
    const seq = parts.get(LIVE_STREAMS[s]);
    if (seq === undefined) return undefined;
    cursor[s] = seq;
  }
  return cursor;
}
