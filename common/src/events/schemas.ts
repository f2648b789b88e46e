import { z } from 'zod';
import { OrderStatus, Subjects, WAITLIST_STATUSES } from './subjects';

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

/**
 * Where a ticket's listing stands (absent on older events: 'listed'):
 * - listed: for sale by `userId` (reserved while `orderId` is set);
 * - held: sold and delivered to `holderId`, not for sale (its holder may list it again);
 * - delisted: withdrawn by its seller.
 */
export const TICKET_STATES = ['listed', 'held', 'delisted'] as const;
export type TicketListingState = (typeof TICKET_STATES)[number];

const ticketPayload = z.object({
  id: objectId,
  version,
  title: z.string().min(1),
  price,
  /** The seller: the organizer who created it, or the holder who listed it again. */
  userId: z.string().min(1),
  orderId: objectId.optional(),
  state: z.enum(TICKET_STATES).optional(),
  /** The buyer the ticket was delivered to (state 'held'), or its last holder. */
  holderId: z.string().min(1).optional(),
  /** Who created the ticket (the event side: checks tickets in). Absent on older events: userId. */
  organizerId: z.string().min(1).optional(),
});

/** The order's buyer, on events written since live updates (absent on older ones). */
const buyer = { userId: z.string().min(1).optional() };

/** Money in the smallest currency unit (cents), as the processor counts it. */
const amountCents = z.number().int().positive();

/**
 * A payment's events, for one payment (one PaymentIntent): created (authorised) is version 0,
 * captured or voided 1, refunded 2, so a reader applies only what is newer than what it has.
 * `version` is absent on payment.created events written before it existed.
 */
const paymentEvent = (v: number) =>
  z.object({
    id: objectId,
    orderId: objectId,
    stripeId: z.string().min(1),
    version: v === 0 ? z.literal(0).default(0) : z.literal(v),
    ...buyer,
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
    ...buyer,
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
    ...buyer,
  }),
  [Subjects.WaitlistChanged]: z.object({
    /** The waitlist entry; `version` counts its changes. */
    id: objectId,
    version,
    ticketId: objectId,
    userId: z.string().min(1),
    status: z.enum(WAITLIST_STATUSES),
    /** 1-based place in line while waiting. */
    position: z.number().int().min(1).optional(),
    /** The order placed for the buyer (status 'offered'). */
    orderId: objectId.optional(),
    /** Why the buyer was skipped or the list cleared, for people. */
    reason: z.string().min(1).optional(),
  }),
  [Subjects.TicketReservationRefused]: z.object({
    ticketId: objectId,
    orderId: objectId,
    reason: z.enum(['ticket-changed', 'not-for-sale']),
    /** The ticket's version whose content differed from the order's. */
    version,
  }),
  [Subjects.ExpirationComplete]: z.object({ orderId: objectId }),
  [Subjects.PaymentCreated]: paymentEvent(0).extend({ amount: amountCents.optional() }),
  [Subjects.PaymentCaptured]: paymentEvent(1).extend({ amount: amountCents }),
  [Subjects.PaymentVoided]: paymentEvent(1),
  [Subjects.PaymentRefunded]: paymentEvent(2).extend({ amount: amountCents, refundId: z.string().min(1) }),
} as const;

export type EventSchemas = typeof eventSchemas;
export type EventSubject = keyof EventSchemas;
/** An event's payload, e.g. `EventData<typeof Subjects.TicketUpdated>`: the one name for each. */
export type EventData<S extends EventSubject> = z.infer<EventSchemas[S]>;

/**
 * Deterministic message id: `<subject>:<id>:<version>` (or `<subject>:<orderId>` for events
 * without an id: expiration.complete, ticket.reservation-refused), so a re-published event is dropped by JetStream's duplicate window.
 */
export function eventMessageId<S extends EventSubject>(subject: S, data: EventData<S>): string {
  const d = data as { id?: string; version?: number; orderId?: string };
  if (d.id !== undefined && d.version !== undefined) return `${subject}:${d.id}:${d.version}`;
  return `${subject}:${d.id ?? d.orderId}`;
}
