import { natsAuthOptions, NATS_ADMIN_USER, type NatsUser } from '@ticketing/common';
import type { NatsTestServer } from '@ticketing/dev-servers';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';

export interface ConsumerState {
  stream: string;
  name: string;
  pending: number;
  ackPending: number;
  redelivered: number;
  delivered: number;
}

/**
 * A plain NATS connection to the stack's server as `user`: the admin (default) for inspection,
 * a service's user to publish test messages as that service (the server refuses anonymous
 * clients).
 */
export async function connectNats(
  nats: NatsTestServer,
  user: NatsUser = NATS_ADMIN_USER,
): Promise<{ nc: NatsConnection; jsm: JetStreamManager; close: () => Promise<void> }> {
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
