import { defineListener, pushOutbox, RetryLaterError, Subjects } from '@ticketing/common';
import { Ticket, ticketEvent } from '../../models/ticket';
import { MAX_WRITE_ATTEMPTS, readTicketFor } from './ticket-lookup';

/**
 * A cancelled order releases its ticket — only if that order holds it: orderId unset, version
 * + 1, ticket.updated recorded, in one conditional write. Either way the order is remembered as
 * released, so an order.created arriving late (other consumer) or redelivered never reserves
 * the ticket for a dead order. A duplicate changes nothing.
 */
export const orderCancelledListener = defineListener({
  subject: Subjects.OrderCancelled,
  async handle(data) {
    const orderId = data.id;
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const ticket = await readTicketFor(data.ticket.id, Subjects.OrderCancelled);
      if (ticket.orderId === orderId) {
        const released = await Ticket.findOneAndUpdate(
          { _id: ticket._id, version: ticket.version, orderId },
          {
            $unset: { orderId: 1 },
            $addToSet: { releasedOrderIds: orderId },
            $inc: { version: 1 },
            ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...ticket, orderId: undefined, version: ticket.version + 1 })),
          },
          { new: true },
        );
        if (released) return;
        continue;
      }
      // Not held by this order: already released (duplicate), or its order.created has not
      // arrived yet. Remember it (no version change: nothing visible changes), unless the
      // create landed in between — then loop round and release.
      const remembered = await Ticket.updateOne(
        { _id: ticket._id, orderId: { $ne: orderId } },
        { $addToSet: { releasedOrderIds: orderId } },
      );
      if (remembered.matchedCount === 1) return;
    }
    throw new RetryLaterError(`order.cancelled: ticket ${data.ticket.id} kept changing; retrying`);
  },
});
