import { createServiceApp, openApiRouter, perUserRateLimit, type Logger, type Metrics, type RateLimitStore, type SessionPublicKeys } from '@ticketing/common';
import type { Express } from 'express';
import { DEFAULT_ORDER_POLICY } from './domain/order-policy';
import { openApiDocument } from './openapi';
import { cancelOrderRouter } from './routes/cancel-order';
import { listOrdersRouter } from './routes/list-orders';
import { newOrderRouter } from './routes/new-order';
import { showOrderRouter } from './routes/show-order';
import { waitlistRouter } from './routes/waitlist';

export interface OrdersAppDeps {
  logger: Logger;
  /** Public keys that verify session tokens; this service cannot sign any. */
  sessionKeys: SessionPublicKeys;
  metrics?: Metrics;
  /** How long a new order holds its ticket. Default 15 minutes. */
  expirationWindowSeconds?: number;
  /** Unpaid orders a buyer may hold at once; 0 or absent: no cap. */
  maxActiveOrdersPerBuyer?: number;
  /** Orders one user may place per minute; 0 or absent = no limit. */
  ordersPerMinute?: number;
  /** Where the order rate limit counts: the service's MongoDB by default (shared by replicas). */
  rateLimitStore?: RateLimitStore;
  secureCookies?: boolean;
  logRequests?: boolean;
}

/** The orders HTTP API. No I/O here: the models use the default mongoose connection. */
export function createApp(deps: OrdersAppDeps): Express {
  // The waitlist's handover places orders by the same rules as a buyer's POST.
  const policy = { windowSeconds: deps.expirationWindowSeconds ?? DEFAULT_ORDER_POLICY.windowSeconds, maxActivePerBuyer: deps.maxActiveOrdersPerBuyer ?? 0 };
  const orderRateLimit = perUserRateLimit({ name: 'orders-per-user', perMinute: deps.ordersPerMinute ?? 0, store: deps.rateLimitStore, logger: deps.logger });
  return createServiceApp({
    logger: deps.logger,
    sessionKeys: deps.sessionKeys,
    metrics: deps.metrics,
    secureCookies: deps.secureCookies,
    logRequests: deps.logRequests,
    routers: [
      // First, so that /api/orders/openapi.json is not taken for an order id.
      openApiRouter('/api/orders', openApiDocument),
      // Before the order routes, so that /api/orders/waitlist is not taken for an order id.
      waitlistRouter,
      newOrderRouter({ ...policy, rateLimit: orderRateLimit }),
      listOrdersRouter,
      showOrderRouter,
      cancelOrderRouter({ ...policy, logger: deps.logger }),
    ],
  });
}
