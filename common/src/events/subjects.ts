/** Event subjects: dotted so that stream filters like `ticket.>` work. */
export const Subjects = {
  TicketCreated: 'ticket.created',
  TicketUpdated: 'ticket.updated',
  /** The tickets service would not let an order hold a ticket (see its schema in schemas.ts). */
  TicketReservationRefused: 'ticket.reservation-refused',
  OrderCreated: 'order.created',
  /** The tickets service holds the ticket for the order, as ordered: it may be paid now. */
  OrderAwaitingPayment: 'order.awaiting-payment',
  OrderCancelled: 'order.cancelled',
  OrderCompleted: 'order.completed',
  /**
   * A buyer's place on a reserved ticket's waitlist changed: joined, left, offered the ticket
   * (an order was placed for them when the hold was released), skipped, or cleared because the
   * seller changed or withdrew the ticket. Private to that buyer (the live service forwards it).
   */
  WaitlistChanged: 'order.waitlist-changed',
  ExpirationComplete: 'expiration.complete',
  /**
   * A payment for the order was authorised (the money is held, not taken) and is the one the
   * order may complete with: the orders service decides, in one conditional write, whether the
   * order completes (then payments captures) or was already cancelled (then payments releases
   * the hold). At most one per order.
   */
  PaymentCreated: 'payment.created',
  /** The accepted payment's hold was captured: the buyer is charged, for a complete order. */
  PaymentCaptured: 'payment.captured',
  /** A hold was released without charging the buyer (order cancelled or expired, or a second authorisation). */
  PaymentVoided: 'payment.voided',
  /** Captured money went back to the buyer (the backstop: a capture whose order did not end complete). */
  PaymentRefunded: 'payment.refunded',
} as const;

export type Subject = (typeof Subjects)[keyof typeof Subjects];

export enum OrderStatus {
  /** Order placed: the ticket is reserved in orders; the tickets service has yet to confirm it. */
  Created = 'created',
  /** Cancelled by the buyer, or expired before payment. The ticket is free again. */
  Cancelled = 'cancelled',
  /**
   * The tickets service confirmed that it holds the ticket for this order at the price and
   * title the buyer saw: only now may the order be paid.
   */
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

/** Statuses of an order that holds its ticket and is not paid yet: it may still be cancelled, expire or complete. */
export const UNPAID_ORDER_STATUSES: readonly OrderStatus[] = [OrderStatus.Created, OrderStatus.AwaitingPayment];

/**
 * A waitlist entry's life: waiting in line → offered (an order was placed for the buyer) or
 * left (by the buyer) or skipped (the buyer could not take the ticket: e.g. at their order cap)
 * or cleared (the seller edited or withdrew the ticket).
 */
export const WAITLIST_STATUSES = ['waiting', 'offered', 'left', 'skipped', 'cleared'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];
