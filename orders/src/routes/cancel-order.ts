import { BadRequestError, defineRoute, mountRoute, NotFoundError, OrderCancelReason, type Logger } from '@ticketing/common';
import { Router } from 'express';
import { cancelOrder } from '../domain/cancel-order';
import type { OrderPolicy } from '../domain/order-policy';
import { followRelease } from '../domain/waitlist/follow-release';
import { loadOwnOrder, orderIdParams } from './order-id';

export const cancelOrderRoute = defineRoute({
  method: 'delete',
  path: '/api/orders/:id',
  summary: 'Cancel one of your orders (idempotent); the ticket goes to the first in its waitlist, or is for sale again',
  description: 'The order stays, with status cancelled (GET still shows it).',
  access: 'signed-in',
  request: { params: orderIdParams },
  responses: {
    204: { description: 'Cancelled (or already was)' },
    400: { description: 'The order is complete (paid)' },
    403: { description: "Another user's order" },
    404: { description: 'No such order' },
  },
});

/**
 * DELETE /api/orders/:id: the buyer cancels. 204 also when it already was cancelled (no
 * second event); 400 for a completed (paid) order. The released ticket goes to the first in its
 * line before the answer (a failed handover is only logged: the waitlist sweep retries it).
 */
export function cancelOrderRouter(handover: OrderPolicy & { logger: Logger }): Router {
  return mountRoute(Router(), cancelOrderRoute, async (req, res) => {
    const order = await loadOwnOrder(cancelOrderRoute.params(req).id, req.currentUser!);
    const orderId = order._id.toString();
    const outcome = await cancelOrder(orderId, OrderCancelReason.Buyer);
    if (outcome === 'complete') throw new BadRequestError('A completed order cannot be cancelled');
    if (outcome === 'not-found') throw new NotFoundError('Order not found');
    await followRelease(orderId, handover).catch((err: unknown) =>
      handover.logger.warn({ err, orderId }, 'waitlist handover after a cancel failed; the waitlist sweep retries'),
    );
    res.status(204).send();
  });
}
