import { createServiceApp, openApiRouter, type Logger, type Metrics } from '@ticketing/common';
import type { Express } from 'express';
import type { PaymentGateway } from './gateway';
import { openApiDocument } from './openapi';
import { createPaymentRouter } from './routes/create-payment';
import { stripeWebhookRouter } from './routes/stripe-webhook';

export interface AppDeps {
  logger: Logger;
  jwtKey: string;
  gateway: PaymentGateway;
  /** Verifies Stripe-Signature on webhooks. */
  webhookSecret: string;
  metrics?: Metrics;
  secureCookies?: boolean;
  logRequests?: boolean;
}

/** The payments HTTP app. No I/O here: the gateway and the database come from the caller. */
export function createApp(deps: AppDeps): Express {
  return createServiceApp({
    logger: deps.logger,
    jwtKey: deps.jwtKey,
    metrics: deps.metrics,
    secureCookies: deps.secureCookies,
    logRequests: deps.logRequests,
    // Stripe event payloads (a PaymentIntent with its charge) can exceed the 16kb default.
    bodyLimit: '128kb',
    routers: [
      createPaymentRouter({ gateway: deps.gateway, logger: deps.logger }),
      stripeWebhookRouter({ webhookSecret: deps.webhookSecret, logger: deps.logger }),
      openApiRouter('/api/payments', openApiDocument),
    ],
  });
}
