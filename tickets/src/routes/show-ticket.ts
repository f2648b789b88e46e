import { canonicalIdParam, canonicalParam, NotFoundError } from '@ticketing/common';
import { Router } from 'express';
import { Ticket } from '../models/ticket';

export const showTicketRouter = Router();

showTicketRouter.get('/api/tickets/:id', canonicalIdParam('Ticket not found'), async (req, res) => {
  const ticket = await Ticket.findById(canonicalParam(req));
  if (!ticket) throw new NotFoundError('Ticket not found');
  res.send(ticket);
});
