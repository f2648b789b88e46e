import { BadRequestError, defineRoute, mountRoute } from '@ticketing/common';
import { webhookAckSchema } from '@ticketing/common/api';
import { Router } from 'express';
import Stripe from 'stripe';
import { z } from 'zod';
import { handleStripeEvent, HANDLED_EVENT_TYPES } from '../domain/stripe-event';
import type { SettleContext } from '../domain/settle-payments';

export const stripeWebhookRoute = defineRoute({
  method: 'post',
  path: '/api/payments/webhook',
  summary: 'Stripe webhook',
  description:
    'Receives Stripe events, verified with the Stripe-Signature header and STRIPE_WEBHOOK_SECRET (required with STRIPE_KEY; ' +
    'only for the offline sandbox, without STRIPE_KEY, it may be unset: a random secret per process; the local stack ' +
    'generates one and keeps it in .state/secrets/STRIPE_WEBHOOK_SECRET). ' +
    `Handled: ${HANDLED_EVENT_TYPES.join(', ')}. An event counts only for an intent payments created (by its id, or by ` +
    'metadata orderId + attempt for an attempt whose id was never recorded) with the stored amount, currency and ' +
    'live/test mode; the intent is then read from the processor and its status applied forward-only (a replayed or ' +
    'out-of-order event changes nothing), and the order settled. Anything else is logged and acknowledged. No session cookie.',
  access: 'public',
  headers: [{ name: 'Stripe-Signature', required: true, description: "Stripe's signature of the raw body", schema: { type: 'string', minLength: 1 } }],
  // The signature is checked on the raw body by the handler; the body itself is any Stripe event.
  request: { body: z.looseObject({}).describe('A Stripe event') },
  responses: {
    200: { description: 'Event acknowledged (applied, or ignored)', body: webhookAckSchema },
    400: { description: 'Missing or invalid signature' },
    503: { description: 'The payment processor could not be asked about the intent; Stripe retries later' },
  },
});

/**
 * POST /api/payments/webhook: Stripe's asynchronous outcomes. The `Stripe-Signature` header
 * is verified on the raw body (kept by createServiceApp) before anything is read; no cookie.
 * 200 for events we ignore (not ours, not handled), so Stripe does not retry them; 503 while
 * the processor cannot be asked about the intent, so Stripe retries later.
 */
export function stripeWebhookRouter({ webhookSecret, settle }: { webhookSecret: string; settle: SettleContext }): Router {
  return mountRoute(Router(), stripeWebhookRoute, async (req, res) => {
    const logger = settle.logger.child({ requestId: req.id });
    const signature = req.get('stripe-signature');
    if (!signature) throw new BadRequestError('Missing Stripe-Signature header');
    if (!req.rawBody) throw new BadRequestError('Webhook body must be JSON');

    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(req.rawBody, signature, webhookSecret);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'webhook signature rejected');
      throw new BadRequestError('Invalid webhook signature');
    }
    await handleStripeEvent(event, { ...settle, logger });
    res.send({ received: true });
  });
}
