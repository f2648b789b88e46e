import { eventMessageId, eventSchemas, type EventData, type EventSubject } from '../events/schemas';
import { currentTraceCarrier, type TraceCarrier } from '../telemetry/trace-context';

/** An event recorded in the same document write as the state change it describes. */
export interface OutboxEntry {
  /** The JetStream message id, deterministic: see eventMessageId. */
  id: string;
  subject: EventSubject;
  data: unknown;
  at: Date;
  /**
   * The trace context of the request that wrote the entry (W3C traceparent), so the relay's
   * publish continues that trace; absent when tracing is off or nothing was traced.
   */
  trace?: TraceCarrier;
}

/** Builds a validated outbox entry for `subject`, carrying the active trace context. */
export function outboxEntry<S extends EventSubject>(subject: S, data: EventData<S>): OutboxEntry {
  const parsed = eventSchemas[subject].parse(data) as EventData<S>;
  const trace = currentTraceCarrier();
  return { id: eventMessageId(subject, parsed), subject, data: parsed, at: new Date(), ...(trace ? { trace } : {}) };
}

/** The update operator that records `entries` with a state change: spread it into the update. */
export function pushOutbox(...entries: OutboxEntry[]): { $push: { outbox: { $each: OutboxEntry[] } } } {
  return { $push: { outbox: { $each: entries } } };
}
