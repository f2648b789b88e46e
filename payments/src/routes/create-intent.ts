import { BadRequestError, defineRoute, isChargeablePrice, mountRoute, priceBoundsMessage, retryAfterHeader } from '@ticketing/common';
import { paymentIntentAnswerSchema } from '@ticketing/common/api';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { createPaymentIntent } from '../domain/create-intent';
import { findPayableOrder } from '../domain/payable-order';
import type { SettleContext } from '../domain/settle-payments';
import { orderIdField } from './order-id';

export const createIntentRoute = defineRoute({
  method: 'post',
  path: '/api/payments/intents',
  summary: 'A PaymentIntent for the Payment Element',
  description:
    "Creates (or returns, for the same attempt) an unconfirmed manual-capture PaymentIntent for the order's price. The " +
    'browser confirms it with Stripe.js (`confirmPayment`, 3-D Secure and wallets included), then sends POST /api/payments ' +
    '{orderId, paymentIntentId}; the webhook settles it in any case.',
  access: 'signed-in',
  request: { body: z.object({ orderId: orderIdField }) },
  responses: {
    201: { description: 'The intent to confirm', body: paymentIntentAnswerSchema },
    400: { description: 'Invalid orderId; the order is cancelled, expired or already paid; its price is not chargeable' },
    403: { description: "Someone else's order" },
    404: { description: 'No payable order: unknown, or the id is stamped in the future (never minted) or over an hour ago (past any order window)' },
    409: { description: 'A card payment of this attempt or a processing payment is in progress; or the order is not confirmed yet' },
    429: { description: 'Too many payment attempts by this user this minute (RATE_LIMIT_PAYMENTS_PER_MIN)', headers: retryAfterHeader },
    503: { description: 'The payment processor is unreachable; or (with Retry-After) the order has not reached the payments service yet: retry', headers: retryAfterHeader },
  },
});

/**
 * POST /api/payments/intents {orderId} → 201 {id, clientSecret, amount, currency}: an intent
 * for the Payment Element to confirm in the browser (3-D Secure, wallets); then
 * POST /api/payments {orderId, paymentIntentId} or the webhook settles it.
 */
export function createIntentRouter({ settle, rateLimit }: { settle: SettleContext; rateLimit: RequestHandler }): Router {
  return mountRoute(Router(), createIntentRoute, rateLimit, async (req, res) => {
    const order = await findPayableOrder(createIntentRoute.body(req).orderId, req.currentUser!.id);
    if (!isChargeablePrice(order.price)) throw new BadRequestError(priceBoundsMessage);
    res.status(201).send(await createPaymentIntent(order, settle));
  });
}
