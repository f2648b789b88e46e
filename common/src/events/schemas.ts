import { z } from 'zod';
import { OrderStatus, Subjects } from './subjects';

// Any case is accepted and lower-cased, so an event spelling an id differently still lands on
// the same key (the canonical form of canonicalObjectId).
const objectId = z
  .string()
  .regex(/^[0-9a-f]{24}$/i, 'must be a 24-character hex id')
  .transform((id) => id.toLowerCase());
const version = z.number().int().min(0);
const price = z.number().finite().positive();

const ticketPayload = z.object({
  id: objectId,
  version,
  title: z.string().min(1),
  price,
  userId: z.string().min(1),
  orderId: objectId.optional(),
});

/** Runtime schema of each event's payload; payloads are validated on receipt. */
export const eventSchemas = {
  [Subjects.TicketCreated]: ticketPayload,
  [Subjects.TicketUpdated]: ticketPayload,
  [Subjects.OrderCreated]: z.object({
    id: objectId,
    version,
    status: z.enum(OrderStatus),
    userId: z.string().min(1),
    expiresAt: z.iso.datetime(),
    ticket: z.object({ id: objectId, price }),
  }),
  [Subjects.OrderCancelled]: z.object({
    id: objectId,
    version,
    ticket: z.object({ id: objectId }),
  }),
  [Subjects.OrderCompleted]: z.object({
    id: objectId,
    version,
    ticket: z.object({ id: objectId }),
  }),
  [Subjects.ExpirationComplete]: z.object({ orderId: objectId }),
  [Subjects.PaymentCreated]: z.object({
    id: objectId,
    orderId: objectId,
    stripeId: z.string().min(1),
  }),
} as const;

export type EventSchemas = typeof eventSchemas;
export type EventSubject = keyof EventSchemas;
export type EventData<S extends EventSubject> = z.infer<EventSchemas[S]>;

export type TicketCreatedEvent = EventData<typeof Subjects.TicketCreated>;
export type TicketUpdatedEvent = EventData<typeof Subjects.TicketUpdated>;
export type OrderCreatedEvent = EventData<typeof Subjects.OrderCreated>;
export type OrderCancelledEvent = EventData<typeof Subjects.OrderCancelled>;
export type OrderCompletedEvent = EventData<typeof Subjects.OrderCompleted>;
export type ExpirationCompleteEvent = EventData<typeof Subjects.ExpirationComplete>;
export type PaymentCreatedEvent = EventData<typeof Subjects.PaymentCreated>;

/**
 * Deterministic message id: `<subject>:<id>:<version>` (or `<subject>:<orderId>` for events
 * without a version), so a re-published event is dropped by JetStream's duplicate window.
 */
export function eventMessageId<S extends EventSubject>(subject: S, data: EventData<S>): string {
  const d = data as { id?: string; version?: number; orderId?: string };
  if (d.id !== undefined && d.version !== undefined) return `${subject}:${d.id}:${d.version}`;
  return `${subject}:${d.id ?? d.orderId}`;
}
