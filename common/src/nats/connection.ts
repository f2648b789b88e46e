import { connect, Events, type ConnectionOptions, type NatsConnection } from 'nats';
import type { Logger } from '../telemetry';
import { natsInboxPrefix } from './permissions';

/** A NATS user and its password (the server refuses clients without them). */
export interface NatsCredentials {
  user: string;
  pass: string;
}

/** Connection options for `credentials`: the user, and the inbox prefix its permissions allow. */
export function natsAuthOptions(credentials: NatsCredentials | undefined): Pick<ConnectionOptions, 'user' | 'pass' | 'inboxPrefix'> {
  if (!credentials) return {};
  return { user: credentials.user, pass: credentials.pass, inboxPrefix: natsInboxPrefix(credentials.user) };
}

/**
 * Connects to NATS and keeps reconnecting for ever: a broker restart is an outage to ride
 * out, not a reason for the process to die. Waits for the first connection too, so a
 * service can start before the broker (readiness reports it meanwhile).
 */
export async function connectNats(url: string, name: string, logger: Logger, credentials?: NatsCredentials): Promise<NatsConnection> {
  const nc = await connect({
    servers: url.split(','),
    ...natsAuthOptions(credentials),
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: true,
    pingInterval: 5_000,
  });
  logger.info({ server: nc.getServer() }, 'connected to NATS');
  connected.set(nc, true);
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) connected.set(nc, false);
      if (s.type === Events.Reconnect) connected.set(nc, true);
      if (s.type === Events.Disconnect || s.type === Events.Reconnect || s.type === Events.Error) {
        logger.warn({ natsStatus: s.type, data: typeof s.data === 'string' ? s.data : JSON.stringify(s.data) }, 'NATS connection status');
      }
    }
  })().catch((err: unknown) => logger.error({ err }, 'NATS status watch failed'));
  return nc;
}

const connected = new WeakMap<NatsConnection, boolean>();

/** True while the connection is up (not closed, not between reconnects). */
export function natsIsConnected(nc: NatsConnection | undefined): boolean {
  return !!nc && !nc.isClosed() && connected.get(nc) !== false;
}
