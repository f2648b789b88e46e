/** Event subjects: dotted so that stream filters like `ticket.>` work. */
export const Subjects = {
  TicketCreated: 'ticket.created',
  TicketUpdated: 'ticket.updated',
  /** The tickets service would not let an order hold a ticket (see TicketReservationRefusedEvent). */
  TicketReservationRefused: 'ticket.reservation-refused',
  OrderCreated: 'order.created',
  OrderCancelled: 'order.cancelled',
  OrderCompleted: 'order.completed',
  ExpirationComplete: 'expiration.complete',
  PaymentCreated: 'payment.created',
} as const;

export type Subject = (typeof Subjects)[keyof typeof Subjects];

export enum OrderStatus {
  /** Order placed, ticket reserved, awaiting payment. */
  Created = 'created',
  /** Cancelled by the buyer, or expired before payment. The ticket is free again. */
  Cancelled = 'cancelled',
  /** A payment is under way. */
  AwaitingPayment = 'awaiting:payment',
  /** Paid. The ticket is sold. */
  Complete = 'complete',
}

/** Why an order was cancelled, shown to the buyer. */
export enum OrderCancelReason {
  /** The buyer cancelled it. */
  Buyer = 'buyer',
  /** Its payment window ended before it was paid. */
  Expired = 'expired',
  /** The seller changed the ticket (price or title) before the order could hold it. */
  TicketChanged = 'ticket-changed',
}

/** Statuses in which an order holds its ticket. */
export const ACTIVE_ORDER_STATUSES: readonly OrderStatus[] = [
  OrderStatus.Created,
  OrderStatus.AwaitingPayment,
  OrderStatus.Complete,
];
