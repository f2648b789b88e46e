import { runService } from '@ticketing/common';
import { createApp } from './app';
import { paymentsConfigSchema } from './config';
import { orderListeners } from './events/listeners';
import { createGateway } from './gateway';
import { ensureIndexes, Payment } from './models';
import { paymentSweeper } from './domain/payment-sweeper';

void runService({
  name: 'payments',
  config: paymentsConfigSchema(process.env),
  build: async ({ config, logger, metrics }) => {
    await ensureIndexes();
    const gateway = createGateway(config, logger);
    const recheckAfterMs = config.PAYMENT_RECHECK_AFTER_SECONDS * 1000;
    return {
      app: createApp({
        logger,
        metrics,
        sessionKeys: config.SESSION_PUBLIC_KEYS,
        gateway,
        webhookSecret: config.STRIPE_WEBHOOK_SECRET,
        paymentsPerMinute: config.RATE_LIMIT_PAYMENTS_PER_MIN,
        recheckAfterMs,
        secureCookies: config.NODE_ENV === 'production',
      }),
      listeners: orderListeners({ gateway, recheckAfterMs }),
      outbox: [Payment],
      background: [paymentSweeper({ gateway, logger, recheckAfterMs, intervalSeconds: config.PAYMENT_SWEEP_INTERVAL_SECONDS })],
    };
  },
}).catch((err: unknown) => {
  process.stderr.write(`payments: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
