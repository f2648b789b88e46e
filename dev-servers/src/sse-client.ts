import http from 'node:http';
import { eventually } from './wait';

/** One SSE block as received: its fields, or a comment. */
export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/**
 * A plain HTTP client reading a text/event-stream the way a browser would (no EventSource
 * library): every frame it received, in order.
 */
export class SseClient {
  readonly frames: SseFrame[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  ended = false;
  private req?: http.ClientRequest;

  static async open(url: string, opts: { cookie?: string[]; lastEventId?: string } = {}): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (opts.cookie) headers.cookie = opts.cookie.join('; ');
      if (opts.lastEventId) headers['last-event-id'] = opts.lastEventId;
      client.req = http.get(url, { headers }, (res) => {
        client.status = res.statusCode ?? 0;
        client.headers = res.headers;
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            client.frames.push(parseFrame(buffer.slice(0, end)));
            buffer = buffer.slice(end + 2);
          }
        });
        res.on('end', () => (client.ended = true));
        res.on('error', () => (client.ended = true));
        resolve();
      });
      client.req.on('error', reject);
    });
    return client;
  }

  /** The data of the messages named `event`, parsed. */
  messages<T = Record<string, unknown>>(event?: string): T[] {
    return this.frames.filter((f) => f.data !== undefined && (!event || f.event === event)).map((f) => JSON.parse(f.data!) as T);
  }

  /** The id of the last frame that carried one (what a browser would send back as Last-Event-ID). */
  lastEventId(): string | undefined {
    return this.frames.filter((f) => f.id !== undefined).at(-1)?.id;
  }

  waitFor<T>(check: (c: SseClient) => T, timeoutMs = 30_000) {
    return eventually(() => check(this), { timeoutMs });
  }

  close(): void {
    this.req?.destroy();
  }
}

function parseFrame(block: string): SseFrame {
  const frame: SseFrame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    const m = /^(id|event|data|retry): ?(.*)$/.exec(line);
    if (m) frame[m[1] as 'id' | 'event' | 'data' | 'retry'] = m[2];
  }
  return frame;
}
