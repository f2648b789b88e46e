import { defineService, perUserRateLimit } from '@ticketing/common';
import { orderPolicyFrom, ordersConfigSchema } from './config';
import { expirySweeper } from './domain/expiry-sweeper';
import { waitlistSweeper } from './domain/waitlist/sweeper';
import { ordersListeners } from './events/listeners';
import { Order } from './models/order';
import { WaitlistEntry } from './models/waitlist-entry';
import { openApiDocument } from './openapi';
import { cancelOrderRouter } from './routes/cancel-order';
import { listOrdersRouter } from './routes/list-orders';
import { newOrderRouter } from './routes/new-order';
import { showOrderRouter } from './routes/show-order';
import { waitlistRouter } from './routes/waitlist';

/** Orders and waitlists: reserves tickets, expires and settles orders, hands released tickets on. */
export const ordersService = defineService({
  name: 'orders',
  config: ordersConfigSchema,
  routers: ({ config, logger }) => {
    // The waitlist's handover places orders by the same rules as a buyer's POST.
    const policy = orderPolicyFrom(config);
    const rateLimit = perUserRateLimit({ name: 'orders-per-user', perMinute: config.RATE_LIMIT_ORDERS_PER_MIN, logger });
    return [
      // Before the order routes, so that /api/orders/waitlist is not taken for an order id.
      waitlistRouter(),
      newOrderRouter({ ...policy, rateLimit }),
      listOrdersRouter(),
      showOrderRouter(),
      cancelOrderRouter({ ...policy, logger }),
    ];
  },
  openApi: { base: '/api/orders', document: openApiDocument },
  listeners: ({ config, logger }) => ordersListeners({ ...orderPolicyFrom(config), logger }),
  outbox: [Order, WaitlistEntry],
  background: ({ config, logger }) => {
    const handover = { ...orderPolicyFrom(config), logger };
    return [
      expirySweeper({ logger, intervalSeconds: config.ORDER_SWEEP_INTERVAL_SECONDS, graceSeconds: config.ORDER_EXPIRY_GRACE_SECONDS, handover }),
      waitlistSweeper({ ...handover, intervalSeconds: config.WAITLIST_SWEEP_INTERVAL_SECONDS }),
    ];
  },
});
