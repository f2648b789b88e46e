import { BadRequestError, canonicalIdField, isChargeablePrice, priceBoundsMessage, requireAuth, validateRequest } from '@ticketing/common';
import { Router, type RequestHandler } from 'express';
import { body } from 'express-validator';
import { Payment, type PaymentRecord } from '../models';
import { findOwnOrder, findPayableOrder } from '../domain/payable-order';
import { answerFor } from '../domain/payment-answer';
import { payWithIntent } from '../domain/pay-with-intent';
import { payWithToken } from '../domain/pay-with-token';
import type { SettleContext } from '../domain/settle-payments';

/** A card token (tok_…) or a PaymentMethod id (pm_…), as the gateways accept them. */
export const STRIPE_TOKEN = /^(?:tok|pm)_[A-Za-z0-9_]{1,250}$/;
/** A PaymentIntent id. */
export const PAYMENT_INTENT_ID = /^pi_[A-Za-z0-9_]{1,250}$/;

export interface PaymentRoutesDeps {
  settle: SettleContext;
  rateLimit: RequestHandler;
  /** How long an authorised payment waits for the order's decision before answering 202. */
  decisionWaitMs: number;
}

/**
 * POST /api/payments {orderId, token} or {orderId, paymentIntentId}: authorises the order's
 * price (the money is held), and answers once the order has decided: 201 captured, 202 still
 * authorised / requires_action / processing, 400 cancelled meanwhile (not charged), 402 declined.
 */
export function createPaymentRouter({ settle, rateLimit, decisionWaitMs }: PaymentRoutesDeps): Router {
  const router = Router();
  router.post(
    '/api/payments',
    requireAuth,
    rateLimit, // per signed-in user: counts every attempt, valid or not
    // Lower-cased here, once: the payment's orderId, its filters and events use this form.
    ...canonicalIdField('body', 'orderId', 'orderId must be a valid order id'),
    // Stripe's id alphabets only, checked as sent (no trim): anything else cannot be a card or an intent.
    body('token')
      .custom((v: unknown, { req }) => (v === undefined && req.body?.paymentIntentId !== undefined) || (typeof v === 'string' && STRIPE_TOKEN.test(v)))
      .withMessage('token is required (a Stripe card token tok_… or PaymentMethod id pm_…)'),
    body('paymentIntentId')
      .custom((v: unknown, { req }) => v === undefined || (typeof v === 'string' && PAYMENT_INTENT_ID.test(v) && req.body?.token === undefined))
      .withMessage('paymentIntentId must be a PaymentIntent id (pi_…), sent instead of a token'),
    validateRequest,
    async (req, res) => {
      const { orderId, token, paymentIntentId } = req.body as { orderId: string; token?: string; paymentIntentId?: string };
      const ctx = { ...settle, waitMs: decisionWaitMs };
      if (paymentIntentId !== undefined) {
        // The browser reporting an intent the webhook already settled: its outcome, not "already paid".
        await findOwnOrder(orderId, req.currentUser!.id);
        const accepted = await Payment.findOne({ orderId, stripeId: paymentIntentId, acceptedFor: { $exists: true } }).lean<PaymentRecord>();
        if (accepted) {
          const answer = await answerFor(accepted, ctx);
          res.status(answer.status).send(answer.body);
          return;
        }
      }
      const order = await findPayableOrder(orderId, req.currentUser!.id);
      // Tickets refuses such prices since the bounds exist; an order for an older ticket cannot be charged.
      if (!isChargeablePrice(order.price)) throw new BadRequestError(priceBoundsMessage);
      const answer = paymentIntentId !== undefined ? await payWithIntent(order, paymentIntentId, ctx) : await payWithToken(order, token!, ctx);
      res.status(answer.status).send(answer.body);
    },
  );
  return router;
}
