import { ListenerRunner, Publisher, defineListener, durableName, RetryLaterError, Subjects, type EventData } from '../src';
import { eventually, randomObjectId, sleep, storedEvents, useTestJetStream } from '@ticketing/dev-servers';

const jet = useTestJetStream();

const ticket = (over: Partial<EventData<'ticket.created'>> = {}): EventData<'ticket.created'> => ({
  id: randomObjectId(),
  version: 0,
  title: 'concert',
  price: 10,
  userId: 'u1',
  ...over,
});

let serviceCount = 0;
/** Each test gets its own service name, so its durable consumers start from a clean slate. */
function runner(service: string, opts: Partial<ConstructorParameters<typeof ListenerRunner>[2]> = {}) {
  return new ListenerRunner(jet.bus.js, jet.bus.jsm, { service, logger: jet.bus.logger, ackWaitMs: 2_000, retryDelayMs: 50, ...opts });
}
const newService = () => `svc${++serviceCount}${Date.now()}`;

describe('Publisher + ListenerRunner on a real JetStream server', () => {
  it('delivers a published event to a listener, validated and typed', async () => {
    const service = newService();
    const seen: EventData<'ticket.created'>[] = [];
    const r = runner(service);
    await r.start([defineListener({ subject: Subjects.TicketCreated, handle: async (d) => void seen.push(d) })]);
    const event = ticket();
    const ack = await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    expect(ack.stream).toBe('TICKETS');
    await eventually(() => seen.some((e) => e.id === event.id));
    expect(seen.find((e) => e.id === event.id)).toEqual(event);
    await r.stop();
  });

  it('two replicas on one durable consumer handle each message exactly once', async () => {
    const service = newService();
    const handledBy = new Map<string, string[]>();
    const listener = (replica: string) =>
      defineListener({
        subject: Subjects.TicketUpdated,
        handle: async (d) => {
          await sleep(2);
          handledBy.set(d.id, [...(handledBy.get(d.id) ?? []), replica]);
        },
      });
    const a = runner(service);
    const b = runner(service);
    await a.start([listener('a')]);
    await b.start([listener('b')]);
    const publisher = new Publisher(jet.bus.js);
    const events = Array.from({ length: 200 }, () => ticket());
    await Promise.all(events.map((e) => publisher.publish(Subjects.TicketUpdated, e)));
    await eventually(() => events.every((e) => handledBy.has(e.id)));
    await sleep(300); // would reveal a late second delivery
    expect(events.every((e) => handledBy.get(e.id)!.length === 1)).toBe(true);
    const replicas = new Set([...handledBy.values()].flat());
    expect(replicas).toEqual(new Set(['a', 'b'])); // both replicas did work
    await Promise.all([a.stop(), b.stop()]);
  });

  it('redelivers an event whose handler failed, later', async () => {
    const service = newService();
    const attempts: number[] = [];
    const r = runner(service);
    const event = ticket();
    await r.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d, ctx) => {
          if (d.id !== event.id) return;
          attempts.push(ctx.deliveries);
          if (ctx.deliveries < 3) throw new Error('database hiccup');
        },
      }),
    ]);
    await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    await eventually(() => attempts.length === 3);
    await sleep(300);
    expect(attempts).toEqual([1, 2, 3]);
    await r.stop();
  });

  it('honours a RetryLaterError delay', async () => {
    const service = newService();
    const times: number[] = [];
    const r = runner(service);
    const event = ticket();
    await r.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d) => {
          if (d.id !== event.id) return;
          times.push(Date.now());
          if (times.length === 1) throw new RetryLaterError('version ahead', 400);
        },
      }),
    ]);
    await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    await eventually(() => times.length === 2);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(350);
    await r.stop();
  });

  it('stores a message id published twice only once, so it is handled once', async () => {
    const service = newService();
    const handled: string[] = [];
    const r = runner(service);
    await r.start([defineListener({ subject: Subjects.TicketCreated, handle: async (d) => void handled.push(d.id) })]);
    const publisher = new Publisher(jet.bus.js);
    const event = ticket({ version: 0 });
    const first = await publisher.publish(Subjects.TicketCreated, event);
    const second = await publisher.publish(Subjects.TicketCreated, event);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    await eventually(() => handled.includes(event.id));
    await sleep(300);
    expect(handled.filter((id) => id === event.id)).toHaveLength(1);
    await r.stop();
  });

  it('dead-letters a message whose handler keeps failing after the bounded failures, and the next ones still flow', async () => {
    const service = newService();
    const attempts: number[] = [];
    const handled: string[] = [];
    const r = runner(service, { maxHandlerFailures: 3 });
    const poison = ticket({ title: 'poison' });
    await r.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d, ctx) => {
          if (d.title === 'poison') {
            attempts.push(ctx.deliveries);
            throw new Error('cannot handle this one');
          }
          handled.push(d.id);
        },
      }),
    ]);
    const publisher = new Publisher(jet.bus.js);
    await publisher.publish(Subjects.TicketCreated, poison);
    const next = ticket();
    await publisher.publish(Subjects.TicketCreated, next);
    await eventually(() => handled.includes(next.id));
    const dead = await eventually(async () => {
      const all = await storedEvents<{ data: string; reason: string; failures: number; durable: string }>(
        jet.bus.jsm,
        `deadletter.${service}.>`,
      );
      return all.length === 1 ? all : undefined;
    });
    expect(dead[0].subject).toBe(`deadletter.${service}.ticket.created`);
    expect(dead[0].data.reason).toBe('handler-failed');
    expect(dead[0].data.failures).toBe(3);
    expect(dead[0].data.durable).toBe(durableName(service, 'ticket.created'));
    expect(JSON.parse(dead[0].data.data).id).toBe(poison.id);
    await sleep(500);
    expect(attempts).toEqual([1, 2, 3]);
    await r.stop();
  });

  it('dead-letters malformed and schema-invalid payloads at once without calling the handler', async () => {
    const service = newService();
    const handled: unknown[] = [];
    const r = runner(service);
    await r.start([defineListener({ subject: Subjects.OrderCancelled, handle: async (d) => void handled.push(d) })]);
    await jet.bus.js.publish('order.cancelled', new TextEncoder().encode('{not json'));
    await jet.bus.js.publish('order.cancelled', new TextEncoder().encode(JSON.stringify({ id: 'nope', version: -1 })));
    const good = { id: randomObjectId(), version: 1, ticket: { id: randomObjectId() } };
    await new Publisher(jet.bus.js).publish(Subjects.OrderCancelled, good);
    await eventually(() => handled.length === 1);
    const dead = await eventually(async () => {
      const all = await storedEvents<{ reason: string }>(jet.bus.jsm, `deadletter.${service}.>`);
      return all.length === 2 ? all : undefined;
    });
    expect(dead.map((d) => d.data.reason).sort()).toEqual(['invalid-payload', 'malformed-json']);
    expect(handled).toEqual([good]);
    await r.stop();
  });

  it('refuses to publish a payload that does not match the catalog', async () => {
    await expect(
      new Publisher(jet.bus.js).publish(Subjects.TicketCreated, { id: 'x' } as unknown as EventData<'ticket.created'>),
    ).rejects.toThrow();
  });

  it('graceful stop lets an in-flight handler finish and ack', async () => {
    const service = newService();
    let finished = false;
    let started = false;
    const r = runner(service);
    const event = ticket();
    await r.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d) => {
          if (d.id !== event.id) return;
          started = true;
          await sleep(500);
          finished = true;
        },
      }),
    ]);
    await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event);
    await eventually(() => started);
    await r.stop();
    expect(finished).toBe(true);
    // acked: a new runner on the same durable does not get it again
    const again: string[] = [];
    const r2 = runner(service);
    await r2.start([defineListener({ subject: Subjects.TicketCreated, handle: async (d) => void again.push(d.id) })]);
    await sleep(2_500); // longer than ack_wait: an unacked message would be back
    expect(again).not.toContain(event.id);
    await r2.stop();
  });
});
