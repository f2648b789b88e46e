import { JSONCodec, type JetStreamClient, type JsMsg } from 'nats';

/** What the DEADLETTER stream holds for each message a service gave up on. */
export interface DeadLetterRecord {
  service: string;
  /** The durable consumer that gave up (`<service>-<subject>`). */
  durable: string;
  /** The original message's subject and its sequence on its own stream. */
  subject: string;
  streamSequence: number;
  /** Server-side deliveries so far, and the handler failures that counted toward the budget. */
  deliveries: number;
  failures: number;
  /** `malformed-json`, `invalid-payload` or `handler-failed`. */
  reason: DeadLetterReason;
  error: string;
  /** The original payload, as UTF-8 text. */
  data: string;
  at: string;
}

export type DeadLetterReason = 'malformed-json' | 'invalid-payload' | 'handler-failed';

export const DEADLETTER_STREAM = 'DEADLETTER';

const codec = JSONCodec<DeadLetterRecord>();

export function deadLetterSubject(service: string, subject: string): string {
  return `deadletter.${service}.${subject}`;
}

export function deadLetterRecord(
  msg: JsMsg,
  fields: Pick<DeadLetterRecord, 'service' | 'durable' | 'failures' | 'reason'> & { error: unknown },
): DeadLetterRecord {
  const { error, ...rest } = fields;
  return {
    ...rest,
    subject: msg.subject,
    streamSequence: msg.info.streamSequence,
    deliveries: msg.info.redeliveryCount,
    error: error instanceof Error ? error.message : String(error),
    data: Buffer.from(msg.data).toString('utf8'),
    at: new Date().toISOString(),
  };
}

/**
 * Stores the record on the DEADLETTER stream and waits for its ack. Throws when it could
 * not be stored (stream missing, NATS down): the caller must then keep the message. The
 * message id makes a retry after a lost ack store it once.
 */
export async function publishDeadLetter(js: JetStreamClient, record: DeadLetterRecord, timeoutMs = 5_000): Promise<void> {
  await js.publish(deadLetterSubject(record.service, record.subject), codec.encode(record), {
    msgID: `deadletter:${record.durable}:${record.streamSequence}`,
    expect: { streamName: DEADLETTER_STREAM },
    timeout: timeoutMs,
  });
}

export function decodeDeadLetter(data: Uint8Array): DeadLetterRecord {
  return codec.decode(data);
}
