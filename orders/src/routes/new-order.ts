import { isObjectId, requireAuth, validateRequest } from '@ticketing/common';
import { Router, type RequestHandler } from 'express';
import { body } from 'express-validator';
import { placeOrder } from '../lifecycle/place-order';

/** POST /api/orders {ticketId}: reserve a ticket for the signed-in buyer. */
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
    body('ticketId').custom(isObjectId).withMessage('ticketId must be a valid ticket id'),
    validateRequest,
    async (req, res) => {
      const order = await placeOrder({ ticketId: req.body.ticketId, userId: req.currentUser!.id, windowSeconds, maxActivePerBuyer });
      res.status(201).send(order);
    },
  );
  return router;
}
