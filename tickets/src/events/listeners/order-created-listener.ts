import { defineListener, pushOutbox, RetryLaterError, Subjects } from '@ticketing/common';
import { Ticket, ticketEvent } from '../../models/ticket';
import { MAX_WRITE_ATTEMPTS, readTicketFor } from './ticket-lookup';

/**
 * An order reserves its ticket: orderId set, version + 1, ticket.updated recorded — one write,
 * conditional on the version read, the ticket being free and the order not already cancelled.
 * Idempotent: a redelivery (or a copy) finds the ticket already held by this order and changes
 * nothing.
 */
export const orderCreatedListener = defineListener({
  subject: Subjects.OrderCreated,
  async handle(data, { logger }) {
    const orderId = data.id;
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const ticket = await readTicketFor(data.ticket.id, Subjects.OrderCreated);
      if (ticket.orderId === orderId) return; // duplicate delivery: already applied
      if (ticket.releasedOrderIds?.includes(orderId)) {
        logger.info({ orderId, ticketId: data.ticket.id }, 'order already cancelled; not reserving');
        return;
      }
      if (ticket.orderId) {
        // Orders reserves one ticket per active order, so the other order's cancel is on its way.
        throw new RetryLaterError(`ticket ${data.ticket.id} is held by order ${ticket.orderId}`);
      }
      const reserved = await Ticket.findOneAndUpdate(
        { _id: ticket._id, version: ticket.version, orderId: null, releasedOrderIds: { $ne: orderId } },
        {
          $set: { orderId },
          $inc: { version: 1 },
          ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...ticket, orderId, version: ticket.version + 1 })),
        },
        { new: true },
      );
      if (reserved) return;
    }
    throw new RetryLaterError(`ticket ${data.ticket.id} kept changing; retrying`);
  },
});
