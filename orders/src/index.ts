import { runService } from '@ticketing/common';
import { createApp } from './app';
import { ordersConfigSchema } from './config';
import { orderListeners } from './events/listeners';
import { expirySweeper } from './domain/expiry-sweeper';
import { Order } from './models/order';
import { WaitlistEntry } from './models/waitlist-entry';
import { waitlistSweeper } from './domain/waitlist/sweeper';

void runService({
  name: 'orders',
  config: ordersConfigSchema,
  build: ({ config, logger, metrics }) => {
    // The rules of every order, placed by a buyer or by the waitlist's handover for them.
    const handover = { windowSeconds: config.EXPIRATION_WINDOW_SECONDS, maxActivePerBuyer: config.ORDERS_MAX_ACTIVE_PER_BUYER, logger };
    return {
      app: createApp({
        logger,
        metrics,
        sessionKeys: config.SESSION_PUBLIC_KEYS,
        expirationWindowSeconds: config.EXPIRATION_WINDOW_SECONDS,
        maxActiveOrdersPerBuyer: config.ORDERS_MAX_ACTIVE_PER_BUYER,
        ordersPerMinute: config.RATE_LIMIT_ORDERS_PER_MIN,
        secureCookies: config.NODE_ENV === 'production',
      }),
      listeners: orderListeners(handover),
      outbox: [Order, WaitlistEntry],
      background: [
        expirySweeper({ logger, intervalSeconds: config.ORDER_SWEEP_INTERVAL_SECONDS, graceSeconds: config.ORDER_EXPIRY_GRACE_SECONDS, handover }),
        waitlistSweeper({ ...handover, intervalSeconds: config.WAITLIST_SWEEP_INTERVAL_SECONDS }),
      ],
    };
  },
}).catch((err: unknown) => {
  process.stderr.write(`orders: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
