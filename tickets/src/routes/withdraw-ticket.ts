import { BadRequestError, ConflictError, defineRoute, ForbiddenError, mountRoute, NotFoundError, pushOutbox, Subjects } from '@ticketing/common';
import { ticketSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { Ticket, ticketEvent } from '../models/ticket';
import { isResale, lastSaleOf, organizerOf, stateOf } from '../domain/listing';
import { ticketIdParams } from './ticket-body';

export const withdrawTicketRoute = defineRoute({
  method: 'delete',
  path: '/api/tickets/:id',
  summary: 'Withdraw your listing',
  description:
    "The organizer's ticket becomes delisted (PUT lists it again); a resale goes back to its holder as sold, with a " +
    'fresh code. Withdrawing a delisted ticket changes nothing.',
  access: 'signed-in',
  request: { params: ticketIdParams },
  responses: {
    200: { description: 'The ticket (version + 1); ticket.updated is published', body: ticketSchema },
    400: { description: 'Cannot withdraw a reserved or a sold ticket' },
    403: { description: 'Not your listing' },
    404: { description: 'No such ticket' },
    409: { description: 'The ticket was modified concurrently' },
  },
});

/**
 * `DELETE /api/tickets/:id`: the seller takes an unreserved listing off sale. The organizer's
 * ticket becomes delisted (PUT lists it again); a resale goes back to its holder, held as
 * before the listing but with a new delivery (a fresh code: the one from before the listing
 * was superseded by it), sold again by the last sale's seller. Answers the ticket; one write
 * conditional on the version read, with ticket.updated.
 */
export function withdrawTicketRouter(): Router {
  return mountRoute(Router(), withdrawTicketRoute, async (req, res) => {
    const read = await Ticket.findById(withdrawTicketRoute.params(req).id).lean();
    if (!read) throw new NotFoundError('Ticket not found');
    const me = req.currentUser!.id;
    if (read.userId !== me && read.holderId !== me) throw new ForbiddenError('You do not own this ticket');
    if (stateOf(read) === 'held') throw new BadRequestError('Cannot withdraw a sold ticket: it is not listed');
    if (stateOf(read) === 'delisted') {
      res.send(Ticket.hydrate(read)); // already withdrawn: nothing changes
      return;
    }
    if (read.orderId) throw new BadRequestError('Cannot withdraw a reserved ticket');

    let update: Record<string, unknown>;
    let next: Parameters<typeof ticketEvent>[1];
    if (!isResale(read)) {
      update = { $set: { state: 'delisted' } };
      next = { ...read, state: 'delisted' };
    } else {
      const sale = lastSaleOf(read);
      const seller = sale?.sellerId ?? organizerOf(read);
      const back = { state: 'held' as const, holderId: read.userId, userId: seller, ...(sale && { orderId: sale.orderId }) };
      update = { $set: back, $inc: { delivery: 1 }, $unset: { checkedInAt: 1 } };
      next = { ...read, ...back };
    }
    const inc = { version: 1, ...((update.$inc as object | undefined) ?? {}) };
    const updated = await Ticket.findOneAndUpdate(
      { _id: read._id, version: read.version, orderId: null },
      { ...update, $inc: inc, ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...next, version: read.version + 1 })) },
      { returnDocument: 'after' },
    );
    if (updated) {
      res.send(updated);
      return;
    }
    const now = await Ticket.findById(read._id).lean();
    if (now?.orderId && stateOf(now) === 'listed') throw new BadRequestError('Cannot withdraw a reserved ticket');
    throw new ConflictError('Ticket was modified concurrently; reload and retry');
  });
}
