import mongoose from 'mongoose';
import { AckPolicy, nanos } from 'nats';
import {
  countDeadLetters,
  createMetrics,
  defineListener,
  durableName,
  ensureStreams,
  ListenerRunner,
  Publisher,
  RetryLaterError,
  Subjects,
  TransientError,
  type EventData,
} from '../src';
import { FailureCounts } from '../src/nats/failure-counts';
import { eventually, freePort, randomObjectId, sleep, storedEvents, useTestJetStream } from '@ticketing/dev-servers';

/**
 * Dead letters only for messages that can never succeed: "not yet" and outages retry for as
 * long as it takes, a slow handler keeps its message, and a dead letter that cannot be
 * recorded is kept and recorded later. Against a real JetStream server.
 */
const jet = useTestJetStream();
/** A real error from mongoose with MongoDB unreachable. */
let mongoDown: Error;

beforeAll(async () => {
  const conn = mongoose.createConnection();
  mongoDown = await conn.openUri(`mongodb://127.0.0.1:${await freePort()}/x`, { serverSelectionTimeoutMS: 200 }).then(
    () => new Error('unexpectedly connected'),
    (err: Error) => err,
  );
  await conn.close();
});

let serviceCount = 0;
const newService = () => `retry${++serviceCount}${Date.now()}`;
function runner(service: string, opts: Partial<ConstructorParameters<typeof ListenerRunner>[2]> = {}) {
  return new ListenerRunner(jet.bus.js, jet.bus.jsm, { service, logger: jet.bus.logger, ackWaitMs: 2_000, retryDelayMs: 50, maxRetryDelayMs: 200, ...opts });
}
const ticket = (): EventData<'ticket.created'> => ({ id: randomObjectId(), version: 0, title: 'concert', price: 10, userId: 'u1' });
const deadLettersOf = (service: string) => storedEvents<{ reason: string; failures: number }>(jet.bus.jsm, `deadletter.${service}.>`);

/** A listener on ticket.created that fails `failures` times with `error()` for one event, then succeeds. */
function failingThenOk(eventId: string, failures: number, error: () => unknown) {
  const state = { attempts: 0, handled: false };
  const listener = defineListener({
    subject: Subjects.TicketCreated,
    handle: async (d) => {
      if (d.id !== eventId) return;
      state.attempts++;
      if (state.attempts <= failures) throw error();
      state.handled = true;
    },
  });
  return { state, listener };
}

describe('ListenerRunner: what never counts toward dead letters', () => {
  it('"not yet" (RetryLaterError) is retried past the failure budget and then applied', async () => {
    const service = newService();
    const event = ticket();
    const { state, listener } = failingThenOk(event.id, 6, () => new RetryLaterError('an earlier version first', 20));
    const r = runner(service, { maxHandlerFailures: 2 });
    await r.start([listener]);
    await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    await eventually(() => state.handled, { timeoutMs: 30_000 });
    expect(state.attempts).toBe(7);
    expect(await deadLettersOf(service)).toEqual([]);
    await r.stop();
  });

  it('an outage (a real mongoose server-selection error) is retried past the failure budget and then applied', async () => {
    expect(mongoDown.name).toBe('MongooseServerSelectionError');
    const service = newService();
    const event = ticket();
    const { state, listener } = failingThenOk(event.id, 5, () => mongoDown);
    const r = runner(service, { maxHandlerFailures: 2 });
    await r.start([listener]);
    await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    await eventually(() => state.handled, { timeoutMs: 30_000 });
    expect(state.attempts).toBe(6);
    expect(await deadLettersOf(service)).toEqual([]);
    await r.stop();
  });

  it('after an outage the consumer stops pulling until its backoff has passed', async () => {
    const service = newService();
    const first = ticket();
    const second = ticket();
    const handledAt = new Map<string, number>();
    let failedAt = 0;
    const r = runner(service, { retryDelayMs: 1_500, maxRetryDelayMs: 1_500 });
    await r.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d) => {
          if (d.id === first.id && failedAt === 0) {
            failedAt = Date.now();
            throw new TransientError('dependency down');
          }
          handledAt.set(d.id, Date.now());
        },
      }),
    ]);
    const publisher = new Publisher(jet.bus.js);
    await publisher.publish(Subjects.TicketCreated, first);
    await eventually(() => failedAt > 0);
    await publisher.publish(Subjects.TicketCreated, second);
    await eventually(() => handledAt.has(first.id) && handledAt.has(second.id), { timeoutMs: 30_000 });
    // Published right after the failure, it waited for the pause (a lower bound only).
    expect(handledAt.get(second.id)! - failedAt).toBeGreaterThanOrEqual(1_200);
    await r.stop();
  });

  it('a handler slower than ack_wait keeps its message: no second replica gets it meanwhile', async () => {
    const service = newService();
    const event = ticket();
    const calls: string[] = [];
    const slow = (replica: string) =>
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d) => {
          if (d.id !== event.id) return;
          calls.push(replica);
          await sleep(4_000); // four times ack_wait
        },
      });
    const a = runner(service, { ackWaitMs: 1_000 });
    const b = runner(service, { ackWaitMs: 1_000 });
    await a.start([slow('a')]);
    await b.start([slow('b')]);
    await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    await eventually(() => calls.length > 0);
    await sleep(6_000);
    expect(calls).toHaveLength(1);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('a handler over its time limit is retried as an outage, not counted', async () => {
    const service = newService();
    const event = ticket();
    let calls = 0;
    let handled = false;
    const r = runner(service, { handlerTimeoutMs: 300, maxHandlerFailures: 1 });
    await r.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d) => {
          if (d.id !== event.id) return;
          calls++;
          if (calls === 1) await sleep(1_500); // stuck, e.g. on a frozen database
          else handled = true;
        },
      }),
    ]);
    await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    await eventually(() => handled, { timeoutMs: 30_000 });
    expect(await deadLettersOf(service)).toEqual([]);
    await r.stop();
  });

  it('a handler over its time limit keeps its slot until it returns: no more work is started on the stuck dependency', async () => {
    const service = newService();
    const stuck = ticket();
    const next = ticket();
    let stuckEndedAt = 0;
    let nextStartedAt = 0;
    let calls = 0;
    const r = runner(service, { handlerTimeoutMs: 300, concurrency: 1 });
    await r.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d) => {
          if (d.id === next.id) nextStartedAt ||= Date.now();
          if (d.id !== stuck.id || ++calls > 1) return;
          await sleep(1_500); // stuck, e.g. on a frozen database
          stuckEndedAt = Date.now();
        },
      }),
    ]);
    try {
      await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, stuck);
      await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, next);
      await eventually(() => nextStartedAt > 0, { timeoutMs: 30_000 });
      expect(stuckEndedAt).toBeGreaterThan(0);
      expect(nextStartedAt).toBeGreaterThanOrEqual(stuckEndedAt);
    } finally {
      await r.stop();
    }
  });
});

describe('ListenerRunner: dead letters are never lost', () => {
  it('when the dead letter cannot be recorded the message is kept, and recorded once the stream is back', async () => {
    const service = newService();
    const event = ticket();
    let attempts = 0;
    const r = runner(service, { maxHandlerFailures: 2 });
    await jet.bus.jsm.streams.delete('DEADLETTER');
    try {
      await r.start([
        defineListener({
          subject: Subjects.TicketCreated,
          handle: async (d) => {
            if (d.id !== event.id) return;
            attempts++;
            throw new Error('a bug');
          },
        }),
      ]);
      await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
      // Past the budget, and the recording failed more than once: still delivered.
      await eventually(() => attempts >= 5, { timeoutMs: 30_000 });
    } finally {
      await ensureStreams(jet.bus.jsm);
    }
    const dead = await eventually(async () => {
      const all = await deadLettersOf(service);
      return all.length === 1 ? all : undefined;
    }, { timeoutMs: 30_000 });
    expect(dead[0].data.reason).toBe('handler-failed');
    const settled = attempts;
    await sleep(1_000);
    expect(attempts).toBe(settled); // terminated once recorded
    await r.stop();
  });

  it('ensureConsumer lifts an existing consumer\'s server-side delivery limit', async () => {
    const service = newService();
    const durable = durableName(service, 'ticket.created');
    await jet.bus.jsm.consumers.add('TICKETS', {
      durable_name: durable,
      filter_subject: 'ticket.created',
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(10_000),
      max_deliver: 20,
    });
    await runner(service).ensureConsumer('ticket.created');
    expect((await jet.bus.jsm.consumers.info('TICKETS', durable)).config.max_deliver).toBe(-1);
  });

  it('exposes the number of stored dead letters on /metrics, read at scrape time', async () => {
    const metrics = createMetrics('gauge-test', { defaults: false });
    metrics.countDeadLettersWith(() => countDeadLetters(jet.bus.jsm));
    const service = newService();
    const r = runner(service);
    await r.start([defineListener({ subject: Subjects.OrderCancelled, handle: async () => undefined })]);
    await jet.bus.js.publish('order.cancelled', new TextEncoder().encode('{not json'));
    await eventually(async () => (await deadLettersOf(service)).length === 1);
    const stored = await countDeadLetters(jet.bus.jsm);
    expect(stored).toBeGreaterThanOrEqual(1);
    expect(await metrics.registry.metrics()).toContain(`event_dead_letters_stored{service="gauge-test"} ${stored}`);
    await r.stop();
  });
});

describe('FailureCounts', () => {
  it('counts per message, forgets the least recently failed past its capacity, and clears', () => {
    const counts = new FailureCounts(2);
    expect([counts.increment('a'), counts.increment('a'), counts.increment('b')]).toEqual([1, 2, 1]);
    counts.increment('a'); // a is now the most recent
    counts.increment('c'); // evicts b
    expect([counts.get('a'), counts.get('b'), counts.get('c'), counts.size]).toEqual([3, 0, 1, 2]);
    counts.clear('a');
    expect(counts.get('a')).toBe(0);
  });
});
