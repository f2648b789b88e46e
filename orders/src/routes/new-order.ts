import { defineRoute, mountRoute, objectIdField, retryAfterHeader } from '@ticketing/common';
import { orderSchema } from '@ticketing/common/api';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { placeOrder } from '../domain/place-order';
import { orderView } from './order-view';

export const newOrderRoute = defineRoute({
  method: 'post',
  path: '/api/orders',
  summary: 'Reserve a ticket',
  access: 'signed-in',
  request: {
    body: z.object({
      // Lower-cased here, once: the reservation key, filters and events all use this form.
      ticketId: objectIdField('ticketId must be a valid ticket id', 'Ticket id, 24 hex characters in any case (one ticket however it is cased); anything else is a 400'),
    }),
  },
  responses: {
    201: { description: 'Order created; the ticket is reserved until expiresAt', body: orderSchema },
    400: {
      description:
        'Invalid ticketId, ticket already reserved, "Ticket is not for sale" (sold to a holder who has not listed it ' +
        'again, or withdrawn by its seller), "Ticket has a waitlist: join it" (released while buyers wait: they come ' +
        'first), your own ticket, or you already hold ORDERS_MAX_ACTIVE_PER_BUYER unpaid orders',
    },
    404: { description: 'Unknown ticket' },
    409: { description: 'Too many of your orders raced at once; try again' },
    429: { description: 'Too many orders placed by this user this minute (RATE_LIMIT_ORDERS_PER_MIN)', headers: retryAfterHeader },
  },
});

/**
 * POST /api/orders {ticketId}: reserve a ticket for the signed-in buyer — a walk-in, refused
 * while others wait in the ticket's line (they come first).
 */
export function newOrderRouter({
  windowSeconds,
  maxActivePerBuyer,
  rateLimit,
}: {
  windowSeconds: number;
  maxActivePerBuyer: number;
  rateLimit: RequestHandler;
}): Router {
  // The rate limit counts every attempt of a signed-in user, valid or not.
  return mountRoute(Router(), newOrderRoute, rateLimit, async (req, res) => {
    const { ticketId } = newOrderRoute.body(req);
    const order = await placeOrder({ ticketId, userId: req.currentUser!.id, windowSeconds, maxActivePerBuyer, respectWaitlist: true });
    res.status(201).send(orderView(order));
  });
}
