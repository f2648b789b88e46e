import { createServiceApp, openApiRouter, perUserRateLimit, type Logger, type Metrics, type RateLimitStore, type SessionPublicKeys } from '@ticketing/common';
import type { Express } from 'express';
import type { PaymentGateway } from './gateway';
import { openApiDocument } from './openapi';
import { createPaymentRouter } from './routes/create-payment';
import { stripeWebhookRouter } from './routes/stripe-webhook';

export interface AppDeps {
  logger: Logger;
  /** Public keys that verify session tokens; this service cannot sign any. */
  sessionKeys: SessionPublicKeys;
  gateway: PaymentGateway;
  /** Verifies Stripe-Signature on webhooks. */
  webhookSecret: string;
  metrics?: Metrics;
  /** Payment attempts one user may make per minute; 0 or absent = no limit. */
  paymentsPerMinute?: number;
  /** Where the payment rate limit counts: the service's MongoDB by default (shared by replicas). */
  rateLimitStore?: RateLimitStore;
  secureCookies?: boolean;
  logRequests?: boolean;
}

/** The payments HTTP app. No I/O here: the gateway and the database come from the caller. */
export function createApp(deps: AppDeps): Express {
  // Bounds card testing (many cards tried against one order) and hammering the provider.
  const paymentRateLimit = perUserRateLimit({ name: 'payments-per-user', perMinute: deps.paymentsPerMinute ?? 0, store: deps.rateLimitStore, logger: deps.logger });
  return createServiceApp({
    logger: deps.logger,
    sessionKeys: deps.sessionKeys,
    metrics: deps.metrics,
    secureCookies: deps.secureCookies,
    logRequests: deps.logRequests,
    // Stripe event payloads (a PaymentIntent with its charge) can exceed the 16kb default.
    bodyLimit: '128kb',
    routers: [
      createPaymentRouter({ gateway: deps.gateway, logger: deps.logger, rateLimit: paymentRateLimit }),
      stripeWebhookRouter({ webhookSecret: deps.webhookSecret, logger: deps.logger }),
      openApiRouter('/api/payments', openApiDocument),
    ],
  });
}
