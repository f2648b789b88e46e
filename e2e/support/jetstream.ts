import { natsAuthOptions, NATS_ADMIN_USER, type NatsUser } from '@ticketing/common';
import type { NatsTestServer } from '@ticketing/dev-servers';
import { AckPolicy, connect, DeliverPolicy, JSONCodec, type JetStreamManager, type NatsConnection } from 'nats';

export interface ConsumerState {
  stream: string;
  name: string;
  pending: number;
  ackPending: number;
  redelivered: number;
  delivered: number;
}

export interface StreamMessage {
  subject: string;
  seq: number;
  /** When the server stored it (ms since the epoch). */
  time: number;
  data: unknown;
  raw: string;
}

/**
 * A plain NATS connection to the stack's server as `user`: the admin (default) for inspection,
 * a service's user to publish test messages as that service (the server refuses anonymous
 * clients).
 */
export async function connectNats(
  nats: NatsTestServer,
  user: NatsUser = NATS_ADMIN_USER,
): Promise<{ nc: NatsConnection; jsm: JetStreamManager; close(): Promise<void> }> {
  const nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250, ...natsAuthOptions(nats.credentials(user)) });
  const jsm = await nc.jetstreamManager();
  return { nc, jsm, close: () => nc.close().catch(() => undefined) };
}

/** Every durable consumer of every stream with its backlog and redelivery counts. */
export async function consumerStates(jsm: JetStreamManager): Promise<ConsumerState[]> {
  const out: ConsumerState[] = [];
  for await (const stream of jsm.streams.list()) {
    for await (const c of jsm.consumers.list(stream.config.name)) {
      out.push({
        stream: stream.config.name,
        name: c.name,
        pending: c.num_pending,
        ackPending: c.num_ack_pending,
        redelivered: c.num_redelivered,
        delivered: c.delivered.consumer_seq,
      });
    }
  }
  return out;
}

const codec = JSONCodec();

/**
 * Every message of `stream` (optionally only `subjectFilter`), read in batches by one ephemeral
 * pull consumer — far faster than a getMessage per sequence number.
 */
export async function readStream(nc: NatsConnection, jsm: JetStreamManager, stream: string, subjectFilter?: string): Promise<StreamMessage[]> {
  const info = await jsm.streams.info(stream);
  if (info.state.messages === 0) return [];
  const ci = await jsm.consumers.add(stream, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.All,
    inactive_threshold: 30_000_000_000, // 30 s, in nanoseconds: cleaned up even if we die
    ...(subjectFilter ? { filter_subject: subjectFilter } : {}),
  });
  const js = nc.jetstream();
  const consumer = await js.consumers.get(stream, ci.name);
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
        out.push({ subject: m.subject, seq: m.seq, time: Math.floor(m.info.timestampNanos / 1e6), data, raw });
      }
      if (got === 0) break;
    }
  } finally {
    await jsm.consumers.delete(stream, ci.name).catch(() => undefined);
  }
  return out;
}
