import { createLogger, ensureStreams, Subjects } from '@ticketing/common';
import { connectTestJetStream, eventually, randomObjectId, startNatsServer } from '@ticketing/dev-servers';
import { LiveHub } from '../src/feed/hub';
import type { Envelope } from '../src/feed/hub';

const logger = createLogger('live-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const ticket = () => ({ id: randomObjectId(), version: 0, title: 'concert', price: 20, userId: 'seller' });

describe('the hub (one ordered consumer per stream)', () => {
  it('waits for the streams to be created by their owners, then follows them', async () => {
    const nats = await startNatsServer();
    const live = await connectTestJetStream(nats, 'live'); // not the admin: no streams yet
    const hub = new LiveHub({ js: live.js, jsm: live.jsm, logger, replayBuffer: 10, pullWaitMs: 1_000 });
    try {
      let started = false;
      const starting = hub.start().then(() => (started = true));
      await new Promise((r) => setTimeout(r, 1_500));
      expect(started).toBe(false);
      const admin = await connectTestJetStream(nats);
      await ensureStreams(admin.jsm);
      await starting;
      const seen: Envelope[] = [];
      hub.subscribe({ receive: (e) => seen.push(e) });
      const t = ticket();
      await admin.ownersPublisher.publish(Subjects.TicketCreated, t);
      await eventually(() => seen.some((e) => e.message?.data.id === t.id));
      await admin.close();
    } finally {
      await hub.stop();
      await live.close();
      await nats.destroy();
    }
  });

  it('survives a NATS restart (its in-memory consumers are gone): resumes after the last message, none lost or repeated', async () => {
    const nats = await startNatsServer();
    const admin = await connectTestJetStream(nats);
    const live = await admin.as('live');
    const hub = new LiveHub({ js: live.js, jsm: live.jsm, logger, replayBuffer: 10, pullWaitMs: 1_000 });
    const seen: string[] = [];
    try {
      await hub.start();
      hub.subscribe({ receive: (e) => e.message && seen.push(e.message.data.id as string) });
      const before = ticket();
      await admin.ownersPublisher.publish(Subjects.TicketCreated, before);
      await eventually(() => seen.includes(before.id));

      await nats.stop();
      await nats.start();
      const after = [ticket(), ticket(), ticket()];
      // Published once the broker is back (the publisher's own retries are not what is tested).
      await eventually(async () => {
        await admin.ownersPublisher.publish(Subjects.TicketCreated, after[0]);
        return true;
      });
      for (const t of after.slice(1)) await admin.ownersPublisher.publish(Subjects.TicketCreated, t);
      await eventually(() => after.every((t) => seen.includes(t.id)), { timeoutMs: 45_000 });
      expect(seen).toEqual([before, ...after].map((t) => t.id));
    } finally {
      await hub.stop();
      await admin.close();
      await nats.destroy();
    }
  });
});
