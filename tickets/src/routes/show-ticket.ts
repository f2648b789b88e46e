import { defineRoute, mountRoute, NotFoundError } from '@ticketing/common';
import { ticketSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { Ticket } from '../models/ticket';
import { ticketIdParams } from './ticket-body';

export const showTicketRoute = defineRoute({
  method: 'get',
  path: '/api/tickets/:id',
  summary: 'One ticket (with orderId while reserved)',
  access: 'public',
  request: { params: ticketIdParams },
  responses: { 200: { description: 'The ticket', body: ticketSchema }, 404: { description: 'No such ticket' } },
});

export function showTicketRouter(): Router {
  return mountRoute(Router(), showTicketRoute, async (req, res) => {
    const ticket = await Ticket.findById(showTicketRoute.params(req).id);
    if (!ticket) throw new NotFoundError('Ticket not found');
    res.send(ticket);
  });
}
