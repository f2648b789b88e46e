import { connect, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { ensureStreams, natsAuthOptions, NATS_ADMIN_USER, Publisher, EVENT_ROUTES, streamForSubject, createLogger, type NatsUser, type EventData, type EventSubject, type Logger } from '@ticketing/common';
import { startNatsServer, type NatsTestServer } from './servers';
import { readStream } from './stream-reader';

/** What publishes events in tests: a Publisher, or ownersPublisher. */
export type EventPublisher = Pick<Publisher, 'publish'>;

export interface TestJetStream {
  /** The NATS user this connection is (admin unless asked otherwise). */
  user: NatsUser;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  /** The same server as another user: connected once, closed with this connection. */
  as(user: NatsUser): Promise<TestJetStream>;
  /**
   * Publishes each event as the service that owns its subject (the event catalog), over that
   * service's user: a test publishing "as another service" has exactly that service's rights.
   */
  ownersPublisher: EventPublisher;
  close(): Promise<void>;
}

/**
 * Connects to a test nats-server as `user`. The admin (the default) provisions the catalog's
 * streams first, as an operator would; a service's user can only do what its service may.
 */
export async function connectTestJetStream(nats: NatsTestServer, user: NatsUser = NATS_ADMIN_USER): Promise<TestJetStream> {
  const nc = await connect({
    servers: nats.url,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 200,
    ...natsAuthOptions(nats.credentials(user)),
  });
  const jsm = await nc.jetstreamManager();
  if (user === NATS_ADMIN_USER) await ensureStreams(jsm);
  const others = new Map<NatsUser, Promise<TestJetStream>>();
  const as = (other: NatsUser): Promise<TestJetStream> => {
    if (other === user) return Promise.resolve(bus);
    if (!others.has(other)) others.set(other, connectTestJetStream(nats, other));
    return others.get(other)!;
  };
  const bus: TestJetStream = {
    user,
    nc,
    js: nc.jetstream(),
    jsm,
    logger: createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    as,
    ownersPublisher: {
      publish: async <S extends EventSubject>(subject: S, data: EventData<S>, msgId?: string) =>
        new Publisher((await as(EVENT_ROUTES[subject].owner)).js).publish(subject, data, msgId),
    },
    close: async () => {
      const opened = await Promise.allSettled([...others.values()]);
      await Promise.all(opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value.close()] : [])));
      await nc.drain().catch(() => undefined);
    },
  };
  return bus;
}

export interface StoredEvent<T = unknown> {
  subject: string;
  data: T;
  seq: number;
  msgId?: string;
}

/** Every event stored on `subject` (wildcards allowed), read back from its stream (as the admin). */
export async function storedEvents<T = unknown>(jsm: JetStreamManager, subject: string): Promise<StoredEvent<T>[]> {
  const messages = await readStream(jsm, streamForSubject(subject), { subject });
  return messages.map((m) => ({ subject: m.subject, data: m.data as T, seq: m.seq, msgId: m.msgId }));
}

/**
 * Gives this test file its own nats-server (JetStream, catalog streams provisioned) for all
 * its tests: started before all, destroyed after all. Read `nats` and `bus` inside tests.
 */
export function useTestJetStream(): { readonly nats: NatsTestServer; readonly bus: TestJetStream } {
  let nats: NatsTestServer | undefined;
  let bus: TestJetStream | undefined;
  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await connectTestJetStream(nats);
  });
  afterAll(async () => {
    await bus?.close();
    await nats?.destroy();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useTestJetStream: read nats and bus inside tests or hooks');
    return value;
  };
  return {
    get nats() {
      return started(nats);
    },
    get bus() {
      return started(bus);
    },
  };
}
