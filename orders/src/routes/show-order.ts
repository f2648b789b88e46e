import { defineRoute, mountRoute } from '@ticketing/common';
import { orderSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { loadOwnOrder, orderIdParams } from './order-id';
import { orderView } from './order-view';

export const showOrderRoute = defineRoute({
  method: 'get',
  path: '/api/orders/:id',
  summary: 'One of your orders',
  access: 'signed-in',
  request: { params: orderIdParams },
  responses: {
    200: { description: 'The order', body: orderSchema },
    403: { description: "Another user's order" },
    404: { description: 'No such order' },
  },
});

/** GET /api/orders/:id: one of the signed-in user's orders. */
export function showOrderRouter(): Router {
  return mountRoute(Router(), showOrderRoute, async (req, res) => {
    res.send(orderView(await loadOwnOrder(showOrderRoute.params(req).id, req.currentUser!)));
  });
}
