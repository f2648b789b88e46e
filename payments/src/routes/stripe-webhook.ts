import { BadRequestError } from '@ticketing/common';
import { Router } from 'express';
import Stripe from 'stripe';
import { handleStripeEvent } from '../domain/stripe-event';
import type { SettleContext } from '../domain/settle-payments';

/**
 * POST /api/payments/webhook: Stripe's asynchronous outcomes. The `Stripe-Signature` header
 * is verified on the raw body (kept by createServiceApp) before anything is read; no cookie.
 * 200 for events we ignore (not ours, not handled), so Stripe does not retry them; 503 while
 * the processor cannot be asked about the intent, so Stripe retries later.
 */
export function stripeWebhookRouter({ webhookSecret, settle }: { webhookSecret: string; settle: SettleContext }): Router {
  const router = Router();
  router.post('/api/payments/webhook', async (req, res) => {
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
  return router;
}
