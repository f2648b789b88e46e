import { connect, JSONCodec, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { startNatsServer, type TestServer } from './servers';
import { ensureStreams } from '../nats/streams';
import { streamForSubject } from '../events/streams';
import { createLogger } from '../service/logger';
import type { Logger } from '../service/logger';

export interface TestJetStream {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  close(): Promise<void>;
}

/** Connects to a test nats-server and provisions the catalog's streams. */
export async function connectTestJetStream(url: string): Promise<TestJetStream> {
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 });
  const jsm = await nc.jetstreamManager();
  await ensureStreams(jsm);
  return {
    nc,
    js: nc.jetstream(),
    jsm,
    logger: createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    close: () => nc.drain().catch(() => undefined),
  };
}

export interface StoredEvent<T = unknown> {
  subject: string;
  data: T;
  seq: number;
  msgId?: string;
}

/** Every event stored on `subject` (wildcards allowed), read back from its stream. */
export async function storedEvents<T = unknown>(jsm: JetStreamManager, subject: string): Promise<StoredEvent<T>[]> {
  const stream = streamForSubject(subject);
  const info = await jsm.streams.info(stream);
  const codec = JSONCodec<T>();
  const events: StoredEvent<T>[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    try {
      const m = await jsm.streams.getMessage(stream, { seq });
      if (!subjectMatches(subject, m.subject)) continue;
      events.push({ subject: m.subject, data: codec.decode(m.data), seq, msgId: m.header?.get('Nats-Msg-Id') });
    } catch {
      // deleted message
    }
  }
  return events;
}

function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return true;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}

/**
 * Gives this test file its own nats-server (JetStream, catalog streams provisioned) for all
 * its tests: started before all, destroyed after all. Read `nats` and `bus` inside tests.
 */
export function useTestJetStream(): { readonly nats: TestServer; readonly bus: TestJetStream } {
  let nats: TestServer | undefined;
  let bus: TestJetStream | undefined;
  beforeAll(async () => {
    nats = await startNatsServer();
    bus = await connectTestJetStream(nats.url);
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
