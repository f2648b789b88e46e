import { Publisher, streamForSubject, Subjects, currentTraceCarrier, inSpan, traceLogFields } from '../src';
import { startTracing } from '../src/telemetry/tracing';
import { randomObjectId, storedEvents, useTestJetStream } from '@ticketing/dev-servers';

const jet = useTestJetStream();

describe('TRACING=0', () => {
  it('makes no spans: events go out without traceparent and log lines without trace_id', async () => {
    const tracing = startTracing('tracing-off-test', { env: { TRACING: '0', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' } });
    expect(tracing.enabled).toBe(false);
    const id = randomObjectId();
    const inside = await inSpan('request', {}, undefined, async () => {
      await new Publisher(jet.bus.js).publish(Subjects.TicketCreated, { id, version: 0, title: 'concert', price: 10, userId: 'u1' });
      return { carrier: currentTraceCarrier(), log: traceLogFields() };
    });
    expect(inside).toEqual({ carrier: undefined, log: {} });
    const [event] = (await storedEvents<{ id: string }>(jet.bus.jsm, Subjects.TicketCreated)).filter((e) => e.data.id === id);
    const stored = await jet.bus.jsm.streams.getMessage(streamForSubject(Subjects.TicketCreated), { seq: event.seq });
    expect(stored.header?.get('traceparent') ?? '').toBe('');
  });
});
