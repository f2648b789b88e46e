import { NotFoundError } from '@ticketing/common';
import { Router } from 'express';
import { Ticket } from '../models/ticket';
import { requireTicketId } from './ticket-id';

export const showTicketRouter = Router();

showTicketRouter.get('/api/tickets/:id', requireTicketId, async (req, res) => {
  const ticket = await Ticket.findById(req.params.id);
  if (!ticket) throw new NotFoundError('Ticket not found');
  res.send(ticket);
});
