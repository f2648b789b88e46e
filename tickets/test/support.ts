import { createLogger, durableName, startEventRuntime, streamForSubject, type EventRuntime, type EventSubject } from '@ticketing/common';
import {
  connectTestJetStream,
  eventually,
  generateSessionKeyPair,
  startNatsServer,
  storedEvents,
  testSessionKeys,
  type EventPublisher,
  type NatsTestServer,
  type StoredEvent,
  type TestJetStream,
} from '@ticketing/dev-servers';
import { createPrivateKey } from 'node:crypto';
import { createApp } from '../src/app';
import type { TicketRules } from '../src/services/rules';
import { ticketsListeners } from '../src/events/listeners';
import { Ticket } from '../src/models/ticket';

export const SERVICE = 'tickets';

/** This test process's e-ticket code key (what TICKET_CODE_SIGNING_KEY / TICKET_CODE_KEY_ID hold in production). */
export const testCodeKeyPair = generateSessionKeyPair('test-codes');
export const testCodeKey = { kid: testCodeKeyPair.kid, privateKey: createPrivateKey(testCodeKeyPair.privateKeyPem) };

/** The tickets app as the service runs it, quiet; `rules` as TICKET_* variables would set them. */
export function testApp(rules: Partial<TicketRules> = {}) {
  return createApp({ logger: createLogger('tickets-test', 'silent'), sessionKeys: testSessionKeys(), logRequests: false, codeKey: testCodeKey, ...rules });
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
 * A real nats-server for this test file, and the service's event side on it exactly as
 * runService starts it (listeners on durable consumers + outbox relay), with short retry
 * delays so that retries and dead-lettering happen within a test.
 */
export function useTicketsEventRuntime() {
  // bus: the admin (reads back); publisher: other services' events, each as its owner.
  const ctx = {} as { nats: NatsTestServer; bus: TestJetStream; runtime: EventRuntime; publisher: EventPublisher };
  beforeAll(async () => {
    ctx.nats = await startNatsServer();
    ctx.bus = await connectTestJetStream(ctx.nats);
    ctx.publisher = ctx.bus.ownersPublisher;
    const tickets = await ctx.bus.as(SERVICE);
    ctx.runtime = await startEventRuntime({
      service: SERVICE,
      js: tickets.js,
      jsm: tickets.jsm,
      logger: ctx.bus.logger,
      listeners: ticketsListeners,
      outbox: [Ticket],
      outboxPollIntervalMs: 200,
      listenerOptions: { ackWaitMs: 5_000, retryDelayMs: 50, maxRetryDelayMs: 200, maxDeliver: 8 },
    });
  });
  afterAll(async () => {
    await ctx.runtime?.stop();
    await ctx.bus?.close();
    await ctx.nats?.destroy();
  });
  return ctx;
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
