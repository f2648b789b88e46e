import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { OutboxRelay, Publisher, createMetrics, outboxEntry, pushOutbox } from '../src';
import { eventually, randomObjectId, sleep, storedEvents, testMongoUrl, useTestDatabase, useTestJetStream } from '@ticketing/dev-servers';
import { Widget } from './fixtures/widget';

const { dbName } = useTestDatabase('outbox');
const jet = useTestJetStream();

const relayFor = (pollIntervalMs = 200) =>
  new OutboxRelay({ models: [Widget], publisher: new Publisher(jet.bus.js, 1_000), logger: jet.bus.logger, pollIntervalMs, maxBackoffMs: 200 });

const created = (id: string, version = 0) => outboxEntry('ticket.created', { id, version, title: 'w', price: 1, userId: 'u' });

describe('outbox relay', () => {
  it('outbox_backlog_documents counts the documents whose entries are not yet published', async () => {
    const metrics = createMetrics('outbox-test', { defaults: false });
    const relay = new OutboxRelay({ models: [Widget], publisher: new Publisher(jet.bus.js, 1_000), logger: jet.bus.logger, metrics, pollIntervalMs: 200 });
    const backlog = async () => (await metrics.registry.getSingleMetric('outbox_backlog_documents')!.get()).values[0]?.value;
    const id = randomObjectId();
    await Widget.create({ _id: id, title: 'w', outbox: [created(id)] });
    expect(await backlog()).toBeGreaterThanOrEqual(1); // the relay is not running yet
    relay.start();
    await eventually(async () => (await backlog()) === 0);
    await relay.stop();
  });

  it('publishes an entry written with the state change, once, and clears it', async () => {
    const relay = relayFor(10_000); // a long poll: the write itself must wake the relay
    relay.start();
    const id = randomObjectId();
    await Widget.create({ _id: id, title: 'w', outbox: [created(id)] });
    const events = await eventually(async () => {
      const all = (await storedEvents<{ id: string }>(jet.bus.jsm, 'ticket.created')).filter((e) => e.data.id === id);
      return all.length ? all : undefined;
    });
    expect(events).toHaveLength(1);
    expect(events[0].msgId).toBe(`ticket.created:${id}:0`);
    await eventually(async () => (await Widget.findById(id).lean())!.outbox.length === 0);
    await relay.stop();
  });

  it('keeps an entry written while NATS is down and publishes it once NATS is back', async () => {
    const relay = relayFor();
    relay.start();
    await jet.nats.stop();
    const id = randomObjectId();
    await Widget.create({ _id: id, title: 'w' });
    await Widget.findOneAndUpdate({ _id: id }, { $set: { title: 'v1' }, $inc: { version: 1 }, ...pushOutbox(created(id, 1)) });
    await sleep(1_000);
    expect((await Widget.findById(id).lean())!.outbox).toHaveLength(1);
    await jet.nats.start();
    const events = await eventually(
      async () => {
        const all = (await storedEvents<{ id: string }>(jet.bus.jsm, 'ticket.created')).filter((e) => e.data.id === id);
        return all.length ? all : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(events).toHaveLength(1);
    await eventually(async () => (await Widget.findById(id).lean())!.outbox.length === 0);
    await relay.stop();
  });

  it('publishes, after a restart, what a process killed right after its write left behind', async () => {
    const id = randomObjectId();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'fixtures', 'write-then-die.ts'), testMongoUrl(), dbName, id],
      { cwd: path.join(__dirname, '..') },
    ).catch((err: { stdout: string; signal?: string }) => {
      expect(err.signal).toBe('SIGKILL');
      return err;
    });
    expect(stdout).toContain('written');
    expect((await Widget.findById(id).lean())!.outbox).toHaveLength(2);

    const relay = relayFor(); // the "restarted" process
    relay.start();
    const events = await eventually(async () => {
      const all = (await storedEvents<{ id: string; version: number }>(jet.bus.jsm, 'ticket.>')).filter((e) => e.data.id === id);
      return all.length === 2 ? all : undefined;
    });
    expect(events.map((e) => [e.subject, e.data.version])).toEqual([
      ['ticket.created', 0],
      ['ticket.updated', 1],
    ]);
    await relay.stop();
  });

  it('two relays publishing the same entries store each event once', async () => {
    const ids = Array.from({ length: 30 }, () => randomObjectId());
    await Widget.insertMany(ids.map((id) => ({ _id: id, title: 'w', outbox: [created(id)] })));
    const a = relayFor();
    const b = relayFor();
    a.start();
    b.start();
    await eventually(async () => (await Widget.countDocuments({ 'outbox.0': { $exists: true } })) === 0);
    await Promise.all([a.stop(), b.stop()]);
    const events = (await storedEvents<{ id: string }>(jet.bus.jsm, 'ticket.created')).filter((e) => ids.includes(e.data.id));
    expect(events).toHaveLength(30);
  });
});
