import { currentTraceCarrier, inSpan, streamForSubject, Subjects } from '@ticketing/common';
import { InMemorySpanExporter, startTracing, type Tracing } from '@ticketing/common/tracing';
import { eventually, randomObjectId, storedEvents } from '@ticketing/dev-servers';
import { inMs, useWorkerTestEnv } from './support';

const env = useWorkerTestEnv();
const exporter = new InMemorySpanExporter();
let tracing: Tracing;

beforeAll(() => {
  tracing = startTracing('expiration-test', { env: {}, exporter });
});
afterAll(async () => {
  await tracing.shutdown();
});

/** The trace id a W3C traceparent names. */
const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];

describe('an expiry is its own trace, linked to the order that scheduled it', () => {
  it('the expire span starts a new trace with a link to the scheduling trace, and expiration.complete carries the new trace', async () => {
    const queue = env.openQueue();
    const orderId = randomObjectId();
    // As the order.created listener does: schedule inside the span handling the event.
    const scheduling = await inSpan('process order.created', {}, undefined, async () => {
      await queue.schedule(orderId, inMs(300));
      return traceIdOf(currentTraceCarrier()?.traceparent)!;
    });

    const expire = await eventually(() => exporter.getFinishedSpans().find((s) => s.name === 'expire order' && s.attributes['ticketing.order_id'] === orderId));
    expect(expire.spanContext().traceId).not.toBe(scheduling);
    expect(expire.parentSpanContext).toBeUndefined();
    expect(expire.links.map((l) => l.context.traceId)).toEqual([scheduling]);

    const [event] = await eventually(async () => ((await env.expirations(orderId)).length ? env.expirations(orderId) : undefined));
    const [stored] = (await storedEvents(env.bus.jsm, Subjects.ExpirationComplete)).filter((e) => e.msgId === event.msgId);
    const message = await env.bus.jsm.streams.getMessage(streamForSubject(Subjects.ExpirationComplete), { seq: stored.seq });
    expect(traceIdOf(message.header?.get('traceparent'))).toBe(expire.spanContext().traceId);
  });
});
