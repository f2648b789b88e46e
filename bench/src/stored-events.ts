import { connect, DeliverPolicy, JSONCodec } from 'nats';
import { natsAuthOptions, NATS_ADMIN_USER, streamForSubject } from '@ticketing/common';
import type { NatsTestServer } from '@ticketing/dev-servers';

/**
 * When JetStream stored each event of `subject` since `sinceMs` (ms since the epoch), keyed by
 * `keyOf(payload)`: read back with an ordered consumer starting at that time. Stops once `count`
 * events were read or nothing more arrives for a second.
 */
export async function storedTimes<T>(nats: NatsTestServer, subject: string, sinceMs: number, count: number, keyOf: (data: T) => string): Promise<Map<string, number>> {
  // As the admin: reading a stream with an ephemeral consumer is an operator's right, no service's.
  const nc = await connect({ servers: nats.url, ...natsAuthOptions(nats.credentials(NATS_ADMIN_USER)) });
  const codec = JSONCodec<T>();
  const times = new Map<string, number>();
  try {
    const consumer = await nc.jetstream().consumers.get(streamForSubject(subject), {
      filterSubjects: subject,
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: new Date(sinceMs).toISOString(),
    });
    while (times.size < count) {
      const batch = await consumer.fetch({ max_messages: 200, expires: 1_000 });
      let got = 0;
      for await (const msg of batch) {
        got++;
        const key = keyOf(codec.decode(msg.data));
        if (!times.has(key)) times.set(key, msg.info.timestampNanos / 1e6);
      }
      if (!got) break;
    }
  } finally {
    await nc.close();
  }
  return times;
}
