import { runService } from '@ticketing/common';
import { createApp } from './app';
import { ordersConfigSchema } from './config';
import { orderListeners } from './events/listeners';
import { expirySweeper } from './lifecycle/expiry-sweeper';
import { Order } from './models/order';

void runService({
  name: 'orders',
  config: ordersConfigSchema,
  build: ({ config, logger, metrics }) => ({
    app: createApp({
      logger,
      metrics,
      sessionKeys: config.SESSION_PUBLIC_KEYS,
      expirationWindowSeconds: config.EXPIRATION_WINDOW_SECONDS,
      maxActiveOrdersPerBuyer: config.ORDERS_MAX_ACTIVE_PER_BUYER,
      ordersPerMinute: config.RATE_LIMIT_ORDERS_PER_MIN,
      secureCookies: config.NODE_ENV === 'production',
    }),
    listeners: orderListeners,
    outbox: [Order],
    background: [
      expirySweeper({ logger, intervalSeconds: config.ORDER_SWEEP_INTERVAL_SECONDS, graceSeconds: config.ORDER_EXPIRY_GRACE_SECONDS }),
    ],
  }),
}).catch((err: unknown) => {
  process.stderr.write(`orders: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
