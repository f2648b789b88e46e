import { context, trace, type SpanContext } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { ListenerRunner, OutboxRelay, Publisher, defineListener, outboxEntry, streamForSubject, Subjects, traceLogFields, type EventData } from '../src';
import { startTracing, type Tracing } from '../src/telemetry/tracing';
import { eventually, randomObjectId, storedEvents, useTestDatabase, useTestJetStream } from '@ticketing/dev-servers';
import { Widget } from './fixtures/widget';

useTestDatabase('tracing');
const jet = useTestJetStream();
const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(() => {
  tracing = startTracing('tracing-test', { env: {}, exporter });
});
afterAll(async () => {
  await tracing.shutdown();
});

const ticket = (): EventData<'ticket.created'> => ({ id: randomObjectId(), version: 0, title: 'concert', price: 10, userId: 'u1' });
const spans = (name: string) => exporter.getFinishedSpans().filter((s) => s.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
/** Runs `fn` inside a finished "request" span and gives back that span's context. */
async function inRequestSpan(fn: () => Promise<unknown>): Promise<SpanContext> {
  const tracer = trace.getTracer('test');
  return tracer.startActiveSpan('request', async (span) => {
    await fn();
    span.end();
    return span.spanContext();
  });
}
/** The traceparent header JetStream stored with the event `id` published on `subject`. */
async function storedTraceparent(subject: string, id: string): Promise<string | undefined> {
  const [event] = (await storedEvents<{ id: string }>(jet.bus.jsm, subject)).filter((e) => e.data.id === id);
  const stored = await jet.bus.jsm.streams.getMessage(streamForSubject(subject), { seq: event.seq });
  return stored.header?.get('traceparent');
}

describe('trace context through NATS', () => {
  it('a message published inside a span carries its traceparent, and the listener continues that trace', async () => {
    const handled: { traceId?: string; logTraceId?: string }[] = [];
    const runner = new ListenerRunner(jet.bus.js, jet.bus.jsm, { service: `traced${Date.now()}`, logger: jet.bus.logger, retryDelayMs: 50 });
    const event = ticket();
    await runner.start([
      defineListener({
        subject: Subjects.TicketCreated,
        handle: async (d) => {
          if (d.id !== event.id) return;
          handled.push({ traceId: trace.getSpanContext(context.active())?.traceId, logTraceId: traceLogFields().trace_id });
        },
      }),
    ]);
    const request = await inRequestSpan(() => new Publisher(jet.bus.js).publish(Subjects.TicketCreated, event));

    expect(await storedTraceparent(Subjects.TicketCreated, event.id)).toMatch(new RegExp(`^00-${request.traceId}-[0-9a-f]{16}-01$`));
    await eventually(() => handled.length === 1);
    expect(handled[0]).toEqual({ traceId: request.traceId, logTraceId: request.traceId });

    const process = await eventually(() => spans('process ticket.created').find((s) => s.spanContext().traceId === request.traceId));
    const publish = spans('publish ticket.created').find((s) => s.spanContext().traceId === request.traceId)!;
    expect(parentOf(publish)).toBe(request.spanId);
    expect(parentOf(process)).toBe(publish.spanContext().spanId);
    await runner.stop();
  });

  it('the outbox relay publishes an event in the trace of the request that wrote it', async () => {
    const relay = new OutboxRelay({ models: [Widget], publisher: new Publisher(jet.bus.js, 1_000), logger: jet.bus.logger, pollIntervalMs: 200 });
    relay.start(); // outside the request: the relay's own context has no trace
    const event = ticket();
    const request = await inRequestSpan(() => Widget.create({ _id: event.id, title: 'w', outbox: [outboxEntry(Subjects.TicketCreated, event)] }));

    const traceparent = await eventually(async () => {
      const events = (await storedEvents<{ id: string }>(jet.bus.jsm, Subjects.TicketCreated)).filter((e) => e.data.id === event.id);
      return events.length ? storedTraceparent(Subjects.TicketCreated, event.id) : undefined;
    });
    expect(traceparent).toMatch(new RegExp(`^00-${request.traceId}-`));
    const publish = spans('publish ticket.created').find((s) => s.spanContext().traceId === request.traceId)!;
    expect(parentOf(publish)).toBe(request.spanId);
    await relay.stop();
  });
});
