import { defineListener, pushOutbox, RetryLaterError, Subjects } from '@ticketing/common';
import { Ticket, ticketEvent } from '../../models/ticket';
import { rememberReleased } from './order-sequence';
import { MAX_WRITE_ATTEMPTS, readTicketFor } from './ticket-lookup';

/**
 * A cancelled order releases its ticket — only if that order holds it: orderId unset, version
 * + 1, ticket.updated recorded, in one conditional write. Either way the order's number is
 * remembered as released (releasedSeq, the highest such number: O(1)), so an order.created
 * arriving late (other consumer) or redelivered never reserves the ticket for a dead order.
 * A duplicate changes nothing.
 */
export const orderCancelledListener = defineListener({
  subject: Subjects.OrderCancelled,
  async handle(data) {
    const orderId = data.id;
    const orderSeq = data.ticket.orderSeq;
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const ticket = await readTicketFor(data.ticket.id, Subjects.OrderCancelled);
      if (ticket.orderId === orderId) {
        const released = await Ticket.findOneAndUpdate(
          { _id: ticket._id, version: ticket.version, orderId },
          {
            $unset: { orderId: 1, orderSeq: 1, releasedOrderIds: 1 },
            $inc: { version: 1 },
            ...rememberReleased(orderSeq),
            ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...ticket, orderId: undefined, version: ticket.version + 1 })),
          },
          { returnDocument: 'after' },
        );
        if (released) return;
        continue;
      }
      // Not held by this order: already released (duplicate), or its order.created has not
      // arrived yet. Remember it (no version change: nothing visible changes), unless the
      // create landed in between — then loop round and release. An order from before the
      // numbering leaves nothing to remember (see isDeadOrder).
      if (!orderSeq || (ticket.releasedSeq ?? 0) >= orderSeq) return;
      const remembered = await Ticket.updateOne({ _id: ticket._id, orderId: { $ne: orderId } }, rememberReleased(orderSeq));
      if (remembered.matchedCount === 1) return;
    }
    throw new RetryLaterError(`order.cancelled: ticket ${data.ticket.id} kept changing; retrying`);
  },
});
