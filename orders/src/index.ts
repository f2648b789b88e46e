import { runService } from '@ticketing/common';
import { createApp } from './app';
import { ordersConfigSchema } from './config';
import { orderListeners } from './events/listeners';
import { Order } from './models/order';

void runService({
  name: 'orders',
  config: ordersConfigSchema,
  build: ({ config, logger, metrics }) => ({
    app: createApp({
      logger,
      metrics,
      jwtKey: config.JWT_KEY,
      expirationWindowSeconds: config.EXPIRATION_WINDOW_SECONDS,
      ordersPerMinute: config.RATE_LIMIT_ORDERS_PER_MIN,
      secureCookies: config.NODE_ENV === 'production',
    }),
    listeners: orderListeners,
    outbox: [Order],
  }),
}).catch((err: unknown) => {
  process.stderr.write(`orders: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
