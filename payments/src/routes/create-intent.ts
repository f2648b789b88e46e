import { BadRequestError, canonicalIdField, isChargeablePrice, priceBoundsMessage, requireAuth, validateRequest } from '@ticketing/common';
import { Router, type RequestHandler } from 'express';
import { createPaymentIntent } from '../domain/create-intent';
import { findPayableOrder } from '../domain/payable-order';
import type { SettleContext } from '../domain/settle-payments';

/**
 * POST /api/payments/intents {orderId} → 201 {id, clientSecret, amount, currency}: an intent
 * for the Payment Element to confirm in the browser (3-D Secure, wallets); then
 * POST /api/payments {orderId, paymentIntentId} or the webhook settles it.
 */
export function createIntentRouter({ settle, rateLimit }: { settle: SettleContext; rateLimit: RequestHandler }): Router {
  const router = Router();
  router.post(
    '/api/payments/intents',
    requireAuth,
    rateLimit,
    ...canonicalIdField('body', 'orderId', 'orderId must be a valid order id'),
    validateRequest,
    async (req, res) => {
      const order = await findPayableOrder((req.body as { orderId: string }).orderId, req.currentUser!.id);
      if (!isChargeablePrice(order.price)) throw new BadRequestError(priceBoundsMessage);
      res.status(201).send(await createPaymentIntent(order, settle));
    },
  );
  return router;
}
