import { eventMessageId, eventSchemas, type EventData, type EventSubject } from '../events/schemas';

/** An event recorded in the same document write as the state change it describes. */
export interface OutboxEntry {
  /** The JetStream message id, deterministic: see eventMessageId. */
  id: string;
  subject: EventSubject;
  data: unknown;
  at: Date;
}

/** Builds a validated outbox entry for `subject`. */
export function outboxEntry<S extends EventSubject>(subject: S, data: EventData<S>): OutboxEntry {
  const parsed = eventSchemas[subject].parse(data) as EventData<S>;
  return { id: eventMessageId(subject, parsed), subject, data: parsed, at: new Date() };
}

/** The update operator that records `entries` with a state change: spread it into the update. */
export function pushOutbox(...entries: OutboxEntry[]): { $push: { outbox: { $each: OutboxEntry[] } } } {
  return { $push: { outbox: { $each: entries } } };
}
