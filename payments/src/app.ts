import { createServiceApp, openApiRouter, perUserRateLimit, type Logger, type Metrics, type RateLimitStore, type SessionPublicKeys } from '@ticketing/common';
import type { Express } from 'express';
import type { PaymentGateway } from './gateway';
import { openApiDocument } from './openapi';
import { createIntentRouter } from './routes/create-intent';
import { createPaymentRouter } from './routes/create-payment';
import { listPaymentsRouter } from './routes/list-payments';
import { stripeWebhookRouter } from './routes/stripe-webhook';

/** How long POST /api/payments waits for the order to decide on an authorised payment. */
export const DECISION_WAIT_MS = 5_000;

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
  /** PAYMENT_RECHECK_AFTER_SECONDS in ms (default 10 s). */
  recheckAfterMs?: number;
  /** Default DECISION_WAIT_MS. */
  decisionWaitMs?: number;
  secureCookies?: boolean;
  logRequests?: boolean;
}

/** The payments HTTP app. No I/O here: the gateway and the database come from the caller. */
export function createApp(deps: AppDeps): Express {
  // Bounds card testing (many cards tried against one order) and hammering the provider.
  const rateLimit = perUserRateLimit({ name: 'payments-per-user', perMinute: deps.paymentsPerMinute ?? 0, store: deps.rateLimitStore, logger: deps.logger });
  const settle = { gateway: deps.gateway, logger: deps.logger, recheckAfterMs: deps.recheckAfterMs ?? 10_000 };
  return createServiceApp({
    logger: deps.logger,
    sessionKeys: deps.sessionKeys,
    metrics: deps.metrics,
    secureCookies: deps.secureCookies,
    logRequests: deps.logRequests,
    // Stripe event payloads (a PaymentIntent with its charge) can exceed the 16kb default.
    bodyLimit: '128kb',
    routers: [
      createPaymentRouter({ settle, rateLimit, decisionWaitMs: deps.decisionWaitMs ?? DECISION_WAIT_MS }),
      createIntentRouter({ settle, rateLimit }),
      listPaymentsRouter(),
      stripeWebhookRouter({ webhookSecret: deps.webhookSecret, settle }),
      openApiRouter('/api/payments', openApiDocument),
    ],
  });
}
