import { defineListener, pushOutbox, RetryLaterError, Subjects } from '@ticketing/common';
import { Ticket, ticketEvent } from '../../models/ticket';
import { MAX_WRITE_ATTEMPTS, readTicketFor } from './ticket-lookup';

/**
 * A completed order delivers its ticket: the buyer becomes the holder (state held), a new
 * delivery starts (a fresh code; not checked in), the sale is appended to the history, version
 * + 1, ticket.updated — one write, conditional on the version read and on this order holding
 * the ticket. orderId stays set: it is the sale.
 * A redelivery finds the sale recorded and changes nothing. A completion whose order.created
 * has not reached this service yet (another consumer) waits for it. An event without the buyer
 * (written before order.completed carried one) cannot be delivered: it fails and ends as a
 * dead letter, to be looked at.
 */
export const orderCompletedListener = defineListener({
  subject: Subjects.OrderCompleted,
  async handle(data, { logger }) {
    const orderId = data.id;
    const buyerId = data.userId;
    if (!buyerId) throw new Error(`order.completed ${orderId} names no buyer (userId): cannot deliver ticket ${data.ticket.id}`);
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const ticket = await readTicketFor(data.ticket.id, Subjects.OrderCompleted);
      if (ticket.sales?.some((sale) => sale.orderId === orderId)) return; // delivered already
      if (ticket.orderId !== orderId) throw new RetryLaterError(`order.completed ${orderId}: ticket ${data.ticket.id} is not reserved for it (yet)`);
      const at = new Date();
      const sale = { orderId, sellerId: ticket.userId, buyerId, price: ticket.price, at };
      const delivered = await Ticket.findOneAndUpdate(
        { _id: ticket._id, version: ticket.version, orderId },
        {
          $set: { state: 'held', holderId: buyerId },
          $unset: { checkedInAt: 1 },
          $inc: { version: 1, delivery: 1 },
          $push: { sales: sale, ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...ticket, state: 'held', holderId: buyerId, version: ticket.version + 1 })).$push },
        },
        { returnDocument: 'after' },
      );
      if (delivered) {
        logger.info({ orderId, ticketId: data.ticket.id, buyerId, delivery: delivered.delivery }, 'ticket delivered');
        return;
      }
    }
    throw new RetryLaterError(`order.completed: ticket ${data.ticket.id} kept changing; retrying`);
  },
});
