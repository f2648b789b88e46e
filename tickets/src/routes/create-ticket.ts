import { defineRoute, mountRoute, ruleField, Subjects } from '@ticketing/common';
import { ticketSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { Types } from 'mongoose';
import { Ticket, ticketEvent } from '../models/ticket';
import { RESALE_CAP_MAX } from '../domain/resale-cap';
import { ticketBody } from './ticket-body';

/** Optional: an integer percent 0..1000 above face value that a resale may ask at most. */
const resaleCapField = ruleField<number>(
  {
    type: 'integer',
    minimum: 0,
    maximum: RESALE_CAP_MAX,
    description: "A resale may ask at most face value × (1 + this/100). Without it the service's TICKET_RESALE_CAP_PERCENT applies (none if unset).",
  },
  (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= RESALE_CAP_MAX ? { value: v as number } : { problem: `resaleCapPercent must be an integer from 0 to ${RESALE_CAP_MAX}` }),
).optional();

export const createTicketRoute = defineRoute({
  method: 'post',
  path: '/api/tickets',
  summary: 'List a ticket for sale',
  description: 'Unknown fields are ignored (the seller is always the signed-in user).',
  access: 'signed-in',
  request: { body: ticketBody.extend({ resaleCapPercent: resaleCapField }) },
  responses: {
    201: { description: 'The new ticket (version 0); ticket.created is published', body: ticketSchema },
    400: { description: 'Invalid title, price or resaleCapPercent (each with its field)' },
  },
});

export function createTicketRouter(): Router {
  return mountRoute(Router(), createTicketRoute, async (req, res) => {
    const { title, price, resaleCapPercent } = createTicketRoute.body(req);
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
}
