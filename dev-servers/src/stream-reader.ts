import { AckPolicy, DeliverPolicy, JSONCodec, type JetStreamManager } from 'nats';

export interface StreamMessage {
  subject: string;
  seq: number;
  /** When the server stored it (ms since the epoch, sub-millisecond precision). */
  time: number;
  /** The payload parsed as JSON; undefined when it is not JSON. */
  data: unknown;
  raw: string;
  /** The publisher's de-duplication id (Nats-Msg-Id), if it gave one. */
  msgId?: string;
}

const codec = JSONCodec();

/**
 * The messages of `stream` (only `subject`'s, which may hold wildcards, if given; only those
 * stored from `sinceMs` on, if given), read in batches by one ephemeral pull consumer, which
 * is far faster than a getMessage per sequence number. Needs a user that may create
 * consumers (the admin): reading a stream back is an operator's right, no service's.
 */
export async function readStream(
  jsm: JetStreamManager,
  stream: string,
  opts: { subject?: string; sinceMs?: number } = {},
): Promise<StreamMessage[]> {
  const info = await jsm.streams.info(stream);
  if (info.state.messages === 0) return [];
  const ci = await jsm.consumers.add(stream, {
    ack_policy: AckPolicy.None,
    inactive_threshold: 30_000_000_000, // 30 s, in nanoseconds: cleaned up even if we die
    ...(opts.sinceMs === undefined
      ? { deliver_policy: DeliverPolicy.All }
      : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: new Date(opts.sinceMs).toISOString() }),
    ...(opts.subject ? { filter_subject: opts.subject } : {}),
  });
  const consumer = await jsm.jetstream().consumers.get(stream, ci.name);
  const out: StreamMessage[] = [];
  try {
    for (;;) {
      const left = (await consumer.info()).num_pending;
      if (left === 0) break;
      const batch = await consumer.fetch({ max_messages: Math.min(left, 500), expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        const raw = Buffer.from(m.data).toString('utf8');
        let data: unknown;
        try {
          data = codec.decode(m.data);
        } catch {
          data = undefined;
        }
        out.push({ subject: m.subject, seq: m.seq, time: m.info.timestampNanos / 1e6, data, raw, msgId: m.headers?.get('Nats-Msg-Id') || undefined });
      }
      if (got === 0) break;
    }
  } finally {
    await jsm.consumers.delete(stream, ci.name).catch(() => undefined);
  }
  return out;
}
