import { defineService, perUserRateLimit } from '@ticketing/common';
import { paymentsConfigSchema } from './config';
import type { SettleContext } from './domain/settle-payments';
import { paymentSweeper } from './domain/payment-sweeper';
import { paymentsListeners } from './events/listeners';
import { createGateway, type PaymentGateway } from './gateway';
import { ensureIndexes, Payment } from './models';
import { openApiDocument } from './openapi';
import { PAYMENTS_BODY_LIMIT } from './body-limit';
import { createIntentRouter } from './routes/create-intent';
import { createPaymentRouter } from './routes/create-payment';
import { listPaymentsRouter } from './routes/list-payments';
import { stripeWebhookRouter } from './routes/stripe-webhook';

/** How long POST /api/payments waits for the order to decide on an authorised payment. */
export const DECISION_WAIT_MS = 5_000;

export interface PaymentsResources {
  /** The processor (Stripe with STRIPE_KEY, else the offline sandbox), shared by routes, listeners and the sweep. */
  gateway: PaymentGateway;
  /** DECISION_WAIT_MS (tests shorten or lengthen it). */
  decisionWaitMs: number;
}

const settleContext = (config: { PAYMENT_RECHECK_AFTER_SECONDS: number }, deps: { gateway: PaymentGateway; logger: SettleContext['logger'] }): SettleContext => ({
  gateway: deps.gateway,
  logger: deps.logger,
  recheckAfterMs: config.PAYMENT_RECHECK_AFTER_SECONDS * 1000,
});

/** Payments: authorises, captures, releases and refunds as the order decides; keeps an order replica. */
export const paymentsService = defineService({
  name: 'payments',
  config: paymentsConfigSchema,
  resources: ({ config, logger }): PaymentsResources => ({ gateway: createGateway(config, logger), decisionWaitMs: DECISION_WAIT_MS }),
  start: ({ logger }) => ensureIndexes(logger),
  // Stripe event payloads (a PaymentIntent with its charge) can exceed the 16kb default.
  bodyLimit: PAYMENTS_BODY_LIMIT,
  routers: ({ config, logger, gateway, decisionWaitMs }) => {
    // Bounds card testing (many cards tried against one order) and hammering the provider.
    const rateLimit = perUserRateLimit({ name: 'payments-per-user', perMinute: config.RATE_LIMIT_PAYMENTS_PER_MIN, logger });
    const settle = settleContext(config, { gateway, logger });
    return [
      createPaymentRouter({ settle, rateLimit, decisionWaitMs }),
      createIntentRouter({ settle, rateLimit }),
      listPaymentsRouter(),
      stripeWebhookRouter({ webhookSecret: config.STRIPE_WEBHOOK_SECRET, settle }),
    ];
  },
  openApi: { base: '/api/payments', document: openApiDocument },
  listeners: ({ config, logger, gateway }) => paymentsListeners(settleContext(config, { gateway, logger })),
  outbox: [Payment],
  background: ({ config, logger, gateway }) => [
    paymentSweeper({ ...settleContext(config, { gateway, logger }), intervalSeconds: config.PAYMENT_SWEEP_INTERVAL_SECONDS }),
  ],
});
