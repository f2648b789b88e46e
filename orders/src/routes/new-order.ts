import { canonicalIdField, requireAuth, validateRequest } from '@ticketing/common';
import { Router } from 'express';
import { placeOrder } from '../lifecycle/place-order';

/** POST /api/orders {ticketId}: reserve a ticket for the signed-in buyer. */
export function newOrderRouter({ windowSeconds }: { windowSeconds: number }): Router {
  const router = Router();
  router.post(
    '/api/orders',
    requireAuth,
    // Lower-cased here, once: the reservation key, filters and events all use this form.
    ...canonicalIdField('body', 'ticketId', 'ticketId must be a valid ticket id'),
    validateRequest,
    async (req, res) => {
      const order = await placeOrder({ ticketId: (req.body as { ticketId: string }).ticketId, userId: req.currentUser!.id, windowSeconds });
      res.status(201).send(order);
    },
  );
  return router;
}
