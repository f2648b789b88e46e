import { requireAuth, Subjects, validateRequest } from '@ticketing/common';
import { Router } from 'express';
import { body } from 'express-validator';
import { Types } from 'mongoose';
import { Ticket, ticketEvent } from '../models/ticket';
import { RESALE_CAP_MAX } from '../domain/resale-cap';
import { readTicketBody, ticketBody } from './ticket-body';

export const createTicketRouter = Router();

/** Optional: an integer percent 0..1000 above face value that a resale may ask at most. */
const resaleCapField = body('resaleCapPercent')
  .optional()
  .custom((v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= RESALE_CAP_MAX)
  .withMessage(`resaleCapPercent must be an integer from 0 to ${RESALE_CAP_MAX}`);

createTicketRouter.post('/api/tickets', requireAuth, ...ticketBody, resaleCapField, validateRequest, async (req, res) => {
  const { title, price } = readTicketBody(req.body);
  const resaleCapPercent = (req.body as { resaleCapPercent?: number }).resaleCapPercent;
  const userId = req.currentUser!.id;
  const fields = {
    _id: new Types.ObjectId(),
    title,
    price,
    userId,
    version: 0,
    state: 'listed' as const,
    organizerId: userId,
    faceValue: price,
    delivery: 0,
    ...(resaleCapPercent !== undefined && { resaleCapPercent }),
  };
  // One insert records the ticket and its ticket.created event together (outbox).
  const ticket = await Ticket.create({ ...fields, outbox: [ticketEvent(Subjects.TicketCreated, fields)] });
  res.status(201).send(ticket);
});
