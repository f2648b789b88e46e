import { defineRoute, ForbiddenError, mountRoute, NotFoundError } from '@ticketing/common';
import { paymentAttemptSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { z } from 'zod';
import { Order, Payment, type PaymentRecord } from '../models';
import { orderIdField } from './order-id';

export const listPaymentsRoute = defineRoute({
  method: 'get',
  path: '/api/payments',
  summary: "An order's payment attempts (owner only), oldest first",
  access: 'signed-in',
  request: { query: z.object({ orderId: orderIdField }) },
  responses: {
    200: { description: 'The attempts', body: z.array(paymentAttemptSchema) },
    400: { description: 'Invalid orderId' },
    403: { description: "Someone else's order" },
    404: { description: 'Unknown order' },
  },
});

/** GET /api/payments?orderId= → 200 [{id, status, amount, createdAt}]: the order's payment attempts, oldest first (owner only). */
export function listPaymentsRouter(): Router {
  return mountRoute(Router(), listPaymentsRoute, async (req, res) => {
    const { orderId } = listPaymentsRoute.query(req);
    const order = await Order.findById(orderId, { userId: 1 }).lean();
    if (!order) throw new NotFoundError('Order not found');
    if (order.userId !== req.currentUser!.id) throw new ForbiddenError('This order belongs to another user');
    const payments = await Payment.find({ orderId }).sort({ createdAt: 1, _id: 1 }).lean<PaymentRecord[]>();
    res.send(payments.map((p) => ({ id: p._id.toHexString(), status: p.status, amount: p.amountCents, createdAt: p.createdAt })));
  });
}
