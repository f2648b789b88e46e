import { canonicalIdField, requireAuth, validateRequest } from '@ticketing/common';
import { Router, type RequestHandler } from 'express';
import { placeOrder } from '../domain/place-order';
import { orderView } from './order-view';

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
  const router = Router();
  router.post(
    '/api/orders',
    requireAuth,
    rateLimit, // per signed-in user: counts every attempt, valid or not
    // Lower-cased here, once: the reservation key, filters and events all use this form.
    ...canonicalIdField('body', 'ticketId', 'ticketId must be a valid ticket id'),
    validateRequest,
    async (req, res) => {
      const ticketId = (req.body as { ticketId: string }).ticketId;
      const order = await placeOrder({ ticketId, userId: req.currentUser!.id, windowSeconds, maxActivePerBuyer, respectWaitlist: true });
      res.status(201).send(orderView(order));
    },
  );
  return router;
}
