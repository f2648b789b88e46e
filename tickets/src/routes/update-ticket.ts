import {
  BadRequestError,
  canonicalIdParam,
  canonicalParam,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  pushOutbox,
  requireAuth,
  Subjects,
  validateRequest,
} from '@ticketing/common';
import { Router } from 'express';
import { Ticket, ticketEvent } from '../models/ticket';
import { readTicketBody, ticketBody } from './ticket-body';

export const updateTicketRouter = Router();

const RESERVED = 'Cannot edit a reserved ticket';

/**
 * Edits title and price (both required, as on create). Optimistic concurrency: the change is
 * ONE write conditional on the version that was read (and on the ticket still being free),
 * recording ticket.updated in the same write; a concurrent change makes it miss, and the
 * caller gets 409 (or 400 if the ticket got reserved meanwhile) instead of a lost update.
 */
updateTicketRouter.put('/api/tickets/:id', requireAuth, canonicalIdParam('Ticket not found'), ...ticketBody, validateRequest, async (req, res) => {
  const { title, price } = readTicketBody(req.body);
  const read = await Ticket.findById(canonicalParam(req)).lean();
  if (!read) throw new NotFoundError('Ticket not found');
  if (read.userId !== req.currentUser!.id) throw new ForbiddenError('You do not own this ticket');
  if (read.orderId) throw new BadRequestError(RESERVED);
  if (read.title === title && read.price === price) {
    // Nothing changes: no new version, no event.
    res.send(Ticket.hydrate(read));
    return;
  }

  const next = { ...read, title, price, version: read.version + 1 };
  const updated = await Ticket.findOneAndUpdate(
    { _id: read._id, version: read.version, orderId: null },
    { $set: { title, price }, $inc: { version: 1 }, ...pushOutbox(ticketEvent(Subjects.TicketUpdated, next)) },
    // The route checked the body by the same rules; the model's validators agree (no 500).
    { new: true, runValidators: true },
  );
  if (updated) {
    res.send(updated);
    return;
  }

  const now = await Ticket.findById(read._id).lean();
  if (!now) throw new NotFoundError('Ticket not found');
  if (now.orderId) throw new BadRequestError(RESERVED);
  throw new ConflictError('Ticket was modified concurrently; reload and retry');
});
