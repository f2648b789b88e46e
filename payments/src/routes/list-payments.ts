import { canonicalIdField, ForbiddenError, NotFoundError, requireAuth, validateRequest } from '@ticketing/common';
import { Router } from 'express';
import { Order, Payment, type PaymentRecord } from '../models';

/** GET /api/payments?orderId= → 200 [{id, status, amount, createdAt}]: the order's payment attempts, oldest first (owner only). */
export function listPaymentsRouter(): Router {
  const router = Router();
  router.get(
    '/api/payments',
    requireAuth,
    ...canonicalIdField('query', 'orderId', 'orderId must be a valid order id'),
    validateRequest,
    async (req, res) => {
      const orderId = req.query.orderId as string;
      const order = await Order.findById(orderId, { userId: 1 }).lean();
      if (!order) throw new NotFoundError('Order not found');
      if (order.userId !== req.currentUser!.id) throw new ForbiddenError('This order belongs to another user');
      const payments = await Payment.find({ orderId }).sort({ createdAt: 1, _id: 1 }).lean<PaymentRecord[]>();
      res.send(payments.map((p) => ({ id: p._id.toHexString(), status: p.status, amount: p.amountCents, createdAt: p.createdAt })));
    },
  );
  return router;
}
