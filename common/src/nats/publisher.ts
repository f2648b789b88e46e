import { SpanKind } from '@opentelemetry/api';
import { headers, JSONCodec, type JetStreamClient, type PubAck } from 'nats';
import { eventMessageId, eventSchemas, type EventData, type EventSubject } from '../events/schemas';
import { streamForSubject } from '../events/streams';
import { contextFromCarrier, inSpan, injectTraceHeaders, type TraceCarrier } from '../telemetry/trace-context';

const codec = JSONCodec();

/**
 * Publishes an event and waits for JetStream's ack (the event is stored). The message id
 * is deterministic, so publishing the same event twice stores it once. The message carries
 * the trace context (W3C `traceparent` header) of a "publish" span, child of `trace` when
 * given (the request that wrote an outbox entry) or else of the active span.
 */
export class Publisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly timeoutMs = 5_000,
  ) {}

  async publish<S extends EventSubject>(subject: S, data: EventData<S>, msgId = eventMessageId(subject, data), trace?: TraceCarrier): Promise<PubAck> {
    // A payload that does not match the catalog is a bug in the publisher: never send it.
    const parsed = eventSchemas[subject].parse(data);
    const attributes = { 'messaging.system': 'nats', 'messaging.destination.name': subject, 'messaging.message.id': msgId };
    const parent = trace ? contextFromCarrier(trace) : undefined;
    return inSpan(`publish ${subject}`, { kind: SpanKind.PRODUCER, attributes }, parent, async () => {
      const hdrs = headers();
      const traced = injectTraceHeaders(hdrs);
      return this.js.publish(subject, codec.encode(parsed), {
        msgID: msgId,
        expect: { streamName: streamForSubject(subject) },
        timeout: this.timeoutMs,
        ...(traced ? { headers: hdrs } : {}),
      });
    });
  }
}
