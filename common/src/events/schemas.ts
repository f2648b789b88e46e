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
/**
 * An order's place in its ticket's sequence of orders (1, 2, 3 …): an order that holds the
 * ticket after another was released has a higher one. Absent on events written before it
 * existed.
 */
const orderSeq = z.number().int().min(1).optional();

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
    /**
     * The ticket as the order was placed on it: tickets refuses the reservation when its price
     * or title no longer match. `version` is the replica's version then (information only:
     * reservations bump it too). title, version and orderSeq are absent on older events.
     */
    ticket: z.object({ id: objectId, price, title: z.string().min(1).optional(), version: version.optional(), orderSeq }),
  }),
  [Subjects.OrderCancelled]: z.object({
    id: objectId,
    version,
    ticket: z.object({ id: objectId, orderSeq }),
  }),
  [Subjects.OrderAwaitingPayment]: z.object({
    id: objectId,
    version,
    ticket: z.object({ id: objectId }),
  }),
  [Subjects.OrderCompleted]: z.object({
    id: objectId,
    version,
    ticket: z.object({ id: objectId }),
  }),
  [Subjects.TicketReservationRefused]: z.object({
    ticketId: objectId,
    orderId: objectId,
    reason: z.enum(['ticket-changed']),
    /** The ticket's version whose content differed from the order's. */
    version,
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
export type TicketReservationRefusedEvent = EventData<typeof Subjects.TicketReservationRefused>;
export type OrderCreatedEvent = EventData<typeof Subjects.OrderCreated>;
export type OrderCancelledEvent = EventData<typeof Subjects.OrderCancelled>;
export type OrderAwaitingPaymentEvent = EventData<typeof Subjects.OrderAwaitingPayment>;
export type OrderCompletedEvent = EventData<typeof Subjects.OrderCompleted>;
export type ExpirationCompleteEvent = EventData<typeof Subjects.ExpirationComplete>;
export type PaymentCreatedEvent = EventData<typeof Subjects.PaymentCreated>;

/**
 * Deterministic message id: `<subject>:<id>:<version>` (or `<subject>:<orderId>` for events
 * without an id: expiration.complete, ticket.reservation-refused), so a re-published event is dropped by JetStream's duplicate window.
 */
export function eventMessageId<S extends EventSubject>(subject: S, data: EventData<S>): string {
  const d = data as { id?: string; version?: number; orderId?: string };
  if (d.id !== undefined && d.version !== undefined) return `${subject}:${d.id}:${d.version}`;
  return `${subject}:${d.id ?? d.orderId}`;
}
