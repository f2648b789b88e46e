/** What the tickets service knows about a ticket's orders (see the model's orderSeq / releasedSeq). */
export interface TicketOrders {
  orderId?: string | null;
  orderSeq?: number | null;
  releasedSeq?: number | null;
}

/**
 * Whether an order.created names an order that can never hold this ticket any more: orders
 * numbers a ticket's orders in the order they took it, so one numbered at or below the highest
 * cancelled number, or below the current holder's, was cancelled (or refused) already.
 *
 * Orders placed before the numbering (no orderSeq): dead once any numbered order of the ticket
 * has been seen, since that one could only be placed after the old one was released. Otherwise
 * they are treated as before (reserve if free), which cannot tell a redelivered create from
 * its own earlier cancel: see README "Events".
 */
export function isDeadOrder(ticket: TicketOrders, orderSeq: number | undefined): boolean {
  const released = ticket.releasedSeq ?? 0;
  const holderSeq = ticket.orderId ? ticket.orderSeq : undefined;
  if (orderSeq === undefined) return released > 0 || holderSeq != null;
  return orderSeq <= released || (holderSeq != null && orderSeq < holderSeq);
}

/** Filter: no order numbered `orderSeq` or above (any numbered order, for an unnumbered one) was released. */
export const notReleasedFilter = (orderSeq: number | undefined) => ({ releasedSeq: { $not: { $gte: orderSeq ?? 1 } } });

/** Update: remember `orderSeq` as released (nothing for an unnumbered order). */
export const rememberReleased = (orderSeq: number | undefined) => (orderSeq ? { $max: { releasedSeq: orderSeq } } : {});
