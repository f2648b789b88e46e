import { defineListener, outboxEntry, pushOutbox, RetryLaterError, Subjects, type EventData } from '@ticketing/common';
import { Ticket, ticketEvent } from '../../models/ticket';
import { isDeadOrder, notReleasedFilter, rememberReleased } from './order-sequence';
import { MAX_WRITE_ATTEMPTS, readTicketFor } from './ticket-lookup';

/** The seller changed the ticket after the buyer saw it: compared by content, not version (reservations bump it too). */
const changedSinceOrdered = (ticket: { price: number; title: string }, ordered: EventData<typeof Subjects.OrderCreated>['ticket']) =>
  ticket.price !== ordered.price || (ordered.title !== undefined && ticket.title !== ordered.title);

/**
 * An order reserves its ticket: orderId set, version + 1, ticket.updated recorded — one write,
 * conditional on the version read, the ticket being free and the order not already cancelled.
 * If the ticket's price or title differ from what the order was placed on (the seller's edit
 * landed before this event), the order is refused instead: ticket.reservation-refused is
 * recorded on the ticket (one write, the ticket itself unchanged) and orders cancels the order;
 * likewise (reason 'not-for-sale') when the ticket is sold (held by its buyer) or delisted.
 * Idempotent: a redelivery (or a copy) finds the ticket already held by this order, or the
 * order remembered as released, and changes nothing.
 */
export const orderCreatedListener = defineListener({
  subject: Subjects.OrderCreated,
  async handle(data, { logger }) {
    const orderId = data.id;
    const orderSeq = data.ticket.orderSeq;
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const ticket = await readTicketFor(data.ticket.id, Subjects.OrderCreated);
      if (ticket.orderId === orderId) return; // duplicate delivery: already applied
      if (isDeadOrder(ticket, orderSeq)) {
        logger.info({ orderId, orderSeq, ticketId: data.ticket.id }, 'order already cancelled or superseded; not reserving');
        return;
      }
      const state = ticket.state ?? 'listed';
      if (state !== 'listed') {
        // Sold (held by its buyer) or withdrawn: no order can take it. orders' replica may not
        // have seen the change when the order was placed.
        if (await recordRefusal(ticket, orderId, orderSeq, 'not-for-sale', {})) {
          logger.info({ orderId, ticketId: data.ticket.id, state }, 'ticket not for sale; reservation refused');
          return;
        }
        continue;
      }
      if (ticket.orderId) {
        // Orders reserves one ticket per active order, so the other order's cancel is on its way.
        throw new RetryLaterError(`ticket ${data.ticket.id} is held by order ${ticket.orderId}`);
      }
      if (changedSinceOrdered(ticket, data.ticket)) {
        if (await recordRefusal(ticket, orderId, orderSeq, 'ticket-changed', { orderId: null })) {
          logger.info({ orderId, ticketId: data.ticket.id, ordered: data.ticket, now: { price: ticket.price, title: ticket.title } }, 'ticket changed since the order was placed; reservation refused');
          return;
        }
        continue;
      }
      const reserved = await Ticket.findOneAndUpdate(
        { _id: ticket._id, version: ticket.version, orderId: null, state: { $in: [null, 'listed'] }, ...notReleasedFilter(orderSeq) },
        {
          $set: { orderId, ...(orderSeq ? { orderSeq } : {}) },
          $unset: { releasedOrderIds: 1, ...(orderSeq ? {} : { orderSeq: 1 }) },
          $inc: { version: 1 },
          ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...ticket, orderId, version: ticket.version + 1 })),
        },
        { returnDocument: 'after' },
      );
      if (reserved) return;
    }
    throw new RetryLaterError(`ticket ${data.ticket.id} kept changing; retrying`);
  },
});

/**
 * Records ticket.reservation-refused for the order on the ticket (one write, the ticket itself
 * unchanged; orders cancels the order) and remembers the order as released. False when the
 * ticket changed since it was read (`still` narrows what must still hold): read again.
 */
async function recordRefusal(
  ticket: { _id: unknown; version: number },
  orderId: string,
  orderSeq: number | undefined,
  reason: EventData<typeof Subjects.TicketReservationRefused>['reason'],
  still: Record<string, unknown>,
): Promise<boolean> {
  const refused = outboxEntry(Subjects.TicketReservationRefused, { ticketId: String(ticket._id), orderId, reason, version: ticket.version });
  const recorded = await Ticket.updateOne({ _id: ticket._id, version: ticket.version, ...still }, { ...rememberReleased(orderSeq), ...pushOutbox(refused) });
  return recorded.matchedCount === 1;
}
