import { canonicalParam, requireAuth } from '@ticketing/common';
import { Router } from 'express';
import { loadOwnOrder, orderIdParam } from './load-own-order';
import { orderView } from './order-view';

/** GET /api/orders/:id: one of the signed-in user's orders. */
export const showOrderRouter = Router();
showOrderRouter.get('/api/orders/:id', requireAuth, orderIdParam, async (req, res) => {
  res.send(orderView(await loadOwnOrder(canonicalParam(req), req.currentUser!)));
});
