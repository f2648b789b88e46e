import { requireAuth, Subjects, validateRequest } from '@ticketing/common';
import { Router } from 'express';
import { Types } from 'mongoose';
import { Ticket, ticketEvent } from '../models/ticket';
import { readTicketBody, ticketBody } from './ticket-body';

export const createTicketRouter = Router();

createTicketRouter.post('/api/tickets', requireAuth, ...ticketBody, validateRequest, async (req, res) => {
  const { title, price } = readTicketBody(req.body);
  const fields = { _id: new Types.ObjectId(), title, price, userId: req.currentUser!.id, version: 0 };
  // One insert records the ticket and its ticket.created event together (outbox).
  const ticket = await Ticket.create({ ...fields, outbox: [ticketEvent(Subjects.TicketCreated, fields)] });
  res.status(201).send(ticket);
});
