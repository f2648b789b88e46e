import { BadRequestError, defineRoute, isChargeablePrice, mountRoute, priceBoundsMessage, retryAfterHeader, ruleField } from '@ticketing/common';
import { paymentAnswerSchema } from '@ticketing/common/api';
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { Payment, type PaymentRecord } from '../models';
import { findOwnOrder, findPayableOrder } from '../domain/payable-order';
import { answerFor } from '../domain/payment-answer';
import { payWithIntent } from '../domain/pay-with-intent';
import { payWithToken } from '../domain/pay-with-token';
import { CANCELLED_NOT_CHARGED } from '../domain/payment-answer';
import type { SettleContext } from '../domain/settle-payments';
import { orderIdField } from './order-id';

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

const TOKEN_RULE = 'token is required (a Stripe card token tok_… or PaymentMethod id pm_…)';
const INTENT_RULE = 'paymentIntentId must be a PaymentIntent id (pi_…), sent instead of a token';
/** Each id checked as sent (no trim): anything outside Stripe's alphabets cannot be a card or an intent. */
const stripeId = (pattern: RegExp, message: string, description: string) =>
  ruleField<string>({ type: 'string', pattern: pattern.source, description }, (v) => (typeof v === 'string' && pattern.test(v) ? { value: v } : { problem: message })).optional();
const always = () => true;

const paymentBody = z
  .object({
    orderId: orderIdField,
    token: stripeId(STRIPE_TOKEN, TOKEN_RULE, 'A Stripe card token (tok_…) or PaymentMethod id (pm_…), e.g. tok_visa'),
    paymentIntentId: stripeId(PAYMENT_INTENT_ID, INTENT_RULE, 'Instead of token: the PaymentIntent the browser confirmed'),
  })
  // Exactly one of the two, whatever else is wrong (each problem is reported).
  .refine((b) => b.token !== undefined || b.paymentIntentId !== undefined, { message: TOKEN_RULE, path: ['token'], when: always })
  .refine((b) => b.token === undefined || b.paymentIntentId === undefined, { message: INTENT_RULE, path: ['paymentIntentId'], when: always })
  .meta({ oneOf: [{ required: ['token'] }, { required: ['paymentIntentId'] }] });

export const createPaymentRoute = defineRoute({
  method: 'post',
  path: '/api/payments',
  summary: 'Pay for an order (authorise; captured once the order completes)',
  description:
    "Either `token` (a card token or PaymentMethod: the order's price is authorised now) or `paymentIntentId` (an intent " +
    'from POST /api/payments/intents that the browser confirmed with the Payment Element: only an intent created for this ' +
    "order, with its stored amount, currency and mode, counts; its status is read from the processor). An authorised " +
    "payment waits up to 5 s for the order's decision.",
  access: 'signed-in',
  request: { body: paymentBody },
  responses: {
    201: { description: 'Captured: the order completed with this payment and the money is taken (`status: captured`)', body: paymentAnswerSchema },
    202: {
      description:
        'Accepted, outcome to follow (poll the order): `authorized` (held; the order decides soon), `requires_action` ' +
        '(with `clientSecret`: run 3-D Secure in the browser; the webhook then settles it), `processing` (the processor has ' +
        'not decided; the webhook or the sweep settles it), `pending` (a Payment Element intent not confirmed yet)',
      body: paymentAnswerSchema,
    },
    400: {
      description:
        'Invalid orderId, token or paymentIntentId (both, or an intent not created for this order); unknown or used card ' +
        '(field token; the next attempt may use another); the order is cancelled, expired or already paid; its price is ' +
        'outside what a card can be charged (0.50–999,999.99); or the order was cancelled while this payment waited: ' +
        `"${CANCELLED_NOT_CHARGED}"`,
    },
    402: { description: "Card declined (the processor's message); the buyer may pay again with another card" },
    403: { description: "Someone else's order" },
    404: { description: 'No payable order: unknown, or the id is stamped in the future (never minted) or over an hour ago (past any order window)' },
    409: {
      description:
        'A payment of this order is `processing` (wait for its outcome); or this attempt is being paid by a concurrent ' +
        'request with another card; or the tickets service has not yet confirmed that it holds the ticket for this order: retry',
    },
    429: { description: 'Too many payment attempts by this user this minute (RATE_LIMIT_PAYMENTS_PER_MIN)', headers: retryAfterHeader },
    503: {
      description:
        'The payment processor is unreachable or failed (the buyer may retry at once, as a new attempt); or (with ' +
        'Retry-After) this order has not reached the payments service yet: retry',
      headers: retryAfterHeader,
    },
  },
});

/**
 * POST /api/payments {orderId, token} or {orderId, paymentIntentId}: authorises the order's
 * price (the money is held), and answers once the order has decided: 201 captured, 202 still
 * authorised / requires_action / processing, 400 cancelled meanwhile (not charged), 402 declined.
 */
export function createPaymentRouter({ settle, rateLimit, decisionWaitMs }: PaymentRoutesDeps): Router {
  // The rate limit counts every attempt of a signed-in user, valid or not.
  return mountRoute(Router(), createPaymentRoute, rateLimit, async (req, res) => {
    const { orderId, token, paymentIntentId } = createPaymentRoute.body(req);
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
  });
}
