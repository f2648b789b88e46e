import { AckPolicy, DeliverPolicy, nanos, type JetStreamClient, type JetStreamManager, type JsMsg } from 'nats';

/** A stored message as the live service reads it. */
export interface StreamMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
}

/**
 * An ephemeral consumer from `fromSeq`: no acks, in memory, gone by itself once unused. The
 * live user may create consumers only through the ephemeral-only API subject (no name, no
 * durable), which is what `consumers.add` uses for a config without a name.
 */
async function ephemeralConsumer(js: JetStreamClient, jsm: JetStreamManager, stream: string, fromSeq: number) {
  const ci = await jsm.consumers.add(stream, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, fromSeq),
    inactive_threshold: nanos(60_000),
    mem_storage: true,
    num_replicas: 1,
  });
  return { name: ci.name, consumer: js.consumers.getPullConsumerFor(ci) };
}

const toMessage = (m: JsMsg): StreamMessage => ({ seq: m.seq, subject: m.subject, data: m.data });

/**
 * Every message of `stream` with `fromSeq <= seq <= toSeq` still stored (a reconnect's catch-up
 * beyond the replay buffer), in order. Reads through its own short-lived ephemeral consumer.
 */
export async function readRange(js: JetStreamClient, jsm: JetStreamManager, stream: string, fromSeq: number, toSeq: number): Promise<StreamMessage[]> {
  if (toSeq < fromSeq) return [];
  const { name, consumer } = await ephemeralConsumer(js, jsm, stream, fromSeq);
  const out: StreamMessage[] = [];
  try {
    for (;;) {
      const batch = await consumer.fetch({ max_messages: Math.min(500, toSeq - (out.at(-1)?.seq ?? fromSeq - 1)), expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        if (m.seq > toSeq) return out;
        out.push(toMessage(m));
        if (m.seq === toSeq) return out;
      }
      // Nothing more within the wait: the rest (up to toSeq) was deleted from the stream.
      if (got === 0) return out;
    }
  } finally {
    await jsm.consumers.delete(stream, name).catch(() => undefined);
  }
}

export interface FollowOptions {
  /** The first sequence to deliver. */
  fromSeq: number;
  onMessage(message: StreamMessage): void;
  onError(err: unknown): void;
  /** How long one pull waits for messages (also how often a vanished consumer is noticed). */
  pullWaitMs?: number;
}

/**
 * Follows `stream` from `fromSeq` for ever, in order, each message exactly once: an ordered
 * consumer. A gap in the consumer's delivery sequence, a vanished consumer (server restart)
 * or any error → a new ephemeral consumer from the sequence after the last one delivered.
 */
export function followStream(js: JetStreamClient, jsm: JetStreamManager, stream: string, opts: FollowOptions): { stop(): Promise<void> } {
  let stopped = false;
  let next = opts.fromSeq;
  let current: { stop(): void } | undefined;
  const wait = opts.pullWaitMs ?? 5_000;
  const run = async () => {
    while (!stopped) {
      try {
        const { consumer } = await ephemeralConsumer(js, jsm, stream, next);
        let delivered = 0;
        while (!stopped) {
          const batch = await consumer.fetch({ max_messages: 256, expires: wait });
          current = batch;
          let got = 0;
          for await (const m of batch) {
            got++;
            if (m.info.deliverySequence !== delivered + 1) throw new Error(`${stream}: delivery gap, re-reading from ${next}`);
            delivered = m.info.deliverySequence;
            next = m.seq + 1;
            opts.onMessage(toMessage(m));
          }
          // An idle pull: make sure the consumer is still there (it is in memory only).
          if (got === 0 && !stopped) await consumer.info(false);
        }
      } catch (err) {
        if (stopped) break;
        opts.onError(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const running = run();
  return {
    stop: async () => {
      stopped = true;
      current?.stop();
      await running;
    },
  };
}
