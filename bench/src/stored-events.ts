import { connect } from 'nats';
import { natsAuthOptions, NATS_ADMIN_USER, streamForSubject } from '@ticketing/common';
import { readStream, type NatsTestServer } from '@ticketing/dev-servers';

/**
 * When JetStream stored each event of `subject` since `sinceMs` (ms since the epoch), keyed by
 * `keyOf(payload)` (the first store of a key counts).
 */
export async function storedTimes<T>(nats: NatsTestServer, subject: string, sinceMs: number, keyOf: (data: T) => string): Promise<Map<string, number>> {
  // As the admin: reading a stream back is an operator's right, no service's.
  const nc = await connect({ servers: nats.url, ...natsAuthOptions(nats.credentials(NATS_ADMIN_USER)) });
  try {
    const times = new Map<string, number>();
    for (const m of await readStream(await nc.jetstreamManager(), streamForSubject(subject), { subject, sinceMs })) {
      const key = keyOf(m.data as T);
      if (!times.has(key)) times.set(key, m.time);
    }
    return times;
  } finally {
    await nc.close();
  }
}
