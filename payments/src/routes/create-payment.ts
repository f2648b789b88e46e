import { BadRequestError, canonicalIdField, isChargeablePrice, priceBoundsMessage, requireAuth, validateRequest, type Logger } from '@ticketing/common';
import { Router, type RequestHandler } from 'express';
import { body } from 'express-validator';
import type { PaymentGateway } from '../gateway';
import { chargeOrder } from '../services/charge-order';
import { findPayableOrder } from '../services/payable-order';
import { recordPayment } from '../services/record-payment';

/** A card token (tok_…) or a PaymentMethod id (pm_…), as the gateways accept them. */
const STRIPE_TOKEN = /^(?:tok|pm)_[A-Za-z0-9_]{1,250}$/;

/**
 * POST /api/payments {orderId, token} → 201 {id}. Charges the order once (idempotency key
 * per attempt), then records the payment and its payment.created event in one insert.
 */
export function createPaymentRouter({ gateway, logger, rateLimit }: { gateway: PaymentGateway; logger: Logger; rateLimit: RequestHandler }): Router {
  const router = Router();
  router.post(
    '/api/payments',
    requireAuth,
    rateLimit, // per signed-in user: counts every attempt, valid or not
    // Lower-cased here, once: the payment's orderId, its filters and events use this form.
    ...canonicalIdField('body', 'orderId', 'orderId must be a valid order id'),
    // Stripe's id alphabet only, checked as sent (no trim): anything else cannot be a card.
    body('token')
      .custom((v: unknown) => typeof v === 'string' && STRIPE_TOKEN.test(v))
      .withMessage('token is required (a Stripe card token tok_… or PaymentMethod id pm_…)'),
    validateRequest,
    async (req, res) => {
      const { orderId, token } = req.body as { orderId: string; token: string };
      const order = await findPayableOrder(orderId, req.currentUser!.id);
      // Tickets refuses such prices since the bounds exist; an order for an older ticket cannot be charged.
      if (!isChargeablePrice(order.price)) throw new BadRequestError(priceBoundsMessage);
      const charge = await chargeOrder(gateway, order, token);
      const { payment, created } = await recordPayment({ orderId, stripeId: charge.id });
      if (!created && payment.stripeId !== charge.id) {
        // Only possible if an earlier attempt succeeded late (its webhook recorded it): money
        // was taken twice and one charge must be refunded.
        logger.error({ requestId: req.id, orderId, recorded: payment.stripeId, charged: charge.id }, 'order charged twice; refund needed');
      }
      res.status(201).send({ id: payment.id });
    },
  );
  return router;
}
