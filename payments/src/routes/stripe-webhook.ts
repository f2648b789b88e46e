import { BadRequestError, type Logger } from '@ticketing/common';
import { Router } from 'express';
import Stripe from 'stripe';
import { recordWebhookPayment } from '../services/record-webhook-payment';

/**
 * POST /api/payments/webhook: Stripe's asynchronous outcomes. The `Stripe-Signature` header
 * is verified on the raw body (kept by createServiceApp) before anything is read; no cookie.
 * Always 2xx for events we do not handle, so Stripe does not retry them.
 */
export function stripeWebhookRouter({ webhookSecret, logger }: { webhookSecret: string; logger: Logger }): Router {
  const router = Router();
  router.post('/api/payments/webhook', async (req, res) => {
    const log = logger.child({ requestId: req.id });
    const signature = req.get('stripe-signature');
    if (!signature) throw new BadRequestError('Missing Stripe-Signature header');
    if (!req.rawBody) throw new BadRequestError('Webhook body must be JSON');

    let event: Stripe.Event;
    try {
      event = Stripe.webhooks.constructEvent(req.rawBody, signature, webhookSecret);
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'webhook signature rejected');
      throw new BadRequestError('Invalid webhook signature');
    }

    switch (event.type) {
      case 'payment_intent.succeeded':
        await recordWebhookPayment(event.data.object, log);
        break;
      case 'payment_intent.payment_failed': {
        const intent = event.data.object;
        // Nothing to change: no payment is recorded and the order stays payable until it expires.
        log.info(
          { eventId: event.id, paymentIntent: intent.id, orderId: intent.metadata?.orderId, reason: intent.last_payment_error?.message },
          'payment failed',
        );
        break;
      }
      default:
        log.debug({ eventId: event.id, type: event.type }, 'webhook event ignored');
    }
    res.send({ received: true });
  });
  return router;
}
