import { defineRoute, mountRoute } from '@ticketing/common';
import { orderSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { z } from 'zod';
import { Order } from '../models/order';
import { orderView } from './order-view';

export const listOrdersRoute = defineRoute({
  method: 'get',
  path: '/api/orders',
  summary: "The signed-in user's orders, newest first",
  access: 'signed-in',
  responses: { 200: { description: 'Orders', body: z.array(orderSchema) } },
});

/** GET /api/orders: the signed-in user's orders, newest first, each with its ticket. */
export function listOrdersRouter(): Router {
  return mountRoute(Router(), listOrdersRoute, async (req, res) => {
    const orders = await Order.find({ userId: req.currentUser!.id }).select('-outbox').sort({ createdAt: -1, _id: -1 });
    res.send(orders.map(orderView));
  });
}
