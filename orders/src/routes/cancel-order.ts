import { BadRequestError, canonicalParam, NotFoundError, OrderCancelReason, requireAuth } from '@ticketing/common';
import { Router } from 'express';
import { cancelOrder } from '../lifecycle/cancel-order';
import { loadOwnOrder, orderIdParam } from './load-own-order';

/**
 * DELETE /api/orders/:id: the buyer cancels. 204 also when it already was cancelled (no
 * second event); 400 for a completed (paid) order.
 */
export const cancelOrderRouter = Router();
cancelOrderRouter.delete('/api/orders/:id', requireAuth, orderIdParam, async (req, res) => {
  const order = await loadOwnOrder(canonicalParam(req), req.currentUser!);
  const outcome = await cancelOrder(order.id, OrderCancelReason.Buyer);
  if (outcome === 'complete') throw new BadRequestError('A completed order cannot be cancelled');
  if (outcome === 'not-found') throw new NotFoundError('Order not found');
  res.status(204).send();
});
