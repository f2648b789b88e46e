import { JSONCodec, type JetStreamClient, type PubAck } from 'nats';
import { eventMessageId, eventSchemas, type EventData, type EventSubject } from '../events/schemas';
import { streamForSubject } from '../events/streams';

const codec = JSONCodec();

/**
 * Publishes an event and waits for JetStream's ack (the event is stored). The message id
 * is deterministic, so publishing the same event twice stores it once.
 */
export class Publisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly timeoutMs = 5_000,
  ) {}

  async publish<S extends EventSubject>(subject: S, data: EventData<S>, msgId = eventMessageId(subject, data)): Promise<PubAck> {
    // A payload that does not match the catalog is a bug in the publisher: never send it.
    const parsed = eventSchemas[subject].parse(data);
    return this.js.publish(subject, codec.encode(parsed), {
      msgID: msgId,
      expect: { streamName: streamForSubject(subject) },
      timeout: this.timeoutMs,
    });
  }
}
