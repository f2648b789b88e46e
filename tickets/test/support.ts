import { durableName, streamForSubject, type EventSubject } from '@ticketing/common';
import {
  eventually,
  generateSessionKeyPair,
  storedEvents,
  type ServiceTestEnvOptions,
  type StoredEvent,
  type TestJetStream,
} from '@ticketing/dev-servers';
import { Ticket } from '../src/models/ticket';

export const SERVICE = 'tickets';

/** This test process's e-ticket code key (what TICKET_CODE_SIGNING_KEY / TICKET_CODE_KEY_ID hold in production). */
export const testCodeKeyPair = generateSessionKeyPair('test-codes');

/**
 * useServiceTestEnv(ticketsService, …) options for these tests: the code key configured, and
 * listener retries short enough that retries and dead-lettering happen within a test.
 */
export function ticketsTestOptions(database: string | false, over: Partial<ServiceTestEnvOptions<object>> = {}): ServiceTestEnvOptions<object> {
  return {
    database,
    env: { TICKET_CODE_SIGNING_KEY: testCodeKeyPair.privateKeyPem, TICKET_CODE_KEY_ID: testCodeKeyPair.kid },
    listenerOptions: { ackWaitMs: 5_000, retryDelayMs: 50, maxRetryDelayMs: 200, maxHandlerFailures: 8 },
    ...over,
  };
}

export interface TicketEvent {
  id: string;
  version: number;
  title: string;
  price: number;
  userId: string;
  orderId?: string;
}

/**
 * Every ticket event JetStream stored for `ticketId`, read once the ticket's outbox is empty
 * (the relay removes an entry only after JetStream acked it, so nothing is still on its way).
 */
export async function settledTicketEvents(bus: TestJetStream, ticketId: string): Promise<StoredEvent<TicketEvent>[]> {
  await eventually(async () => {
    const doc = await Ticket.findById(ticketId, { outbox: 1 }).lean<{ outbox?: unknown[] }>();
    return doc !== null && (doc.outbox ?? []).length === 0;
  });
  return (await storedEvents<TicketEvent>(bus.jsm, 'ticket.>')).filter((e) => e.data.id === ticketId);
}

/** Resolves once the service's consumer of `subject` has handled (acked or terminated) everything. */
export async function consumerIdle(bus: TestJetStream, subject: EventSubject): Promise<void> {
  await eventually(async () => {
    const info = await bus.jsm.consumers.info(streamForSubject(subject), durableName(SERVICE, subject));
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}
