import { requireAuth } from '@ticketing/common';
import { Router } from 'express';
import { Order } from '../models/order';
import { orderView } from './order-view';

/** GET /api/orders: the signed-in user's orders, newest first, each with its ticket. */
export const listOrdersRouter = Router();
listOrdersRouter.get('/api/orders', requireAuth, async (req, res) => {
  const orders = await Order.find({ userId: req.currentUser!.id }).select('-outbox').sort({ createdAt: -1, _id: -1 });
  res.send(orders.map(orderView));
});
