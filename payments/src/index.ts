import { runService } from '@ticketing/common';
import { createApp } from './app';
import { paymentsConfigSchema } from './config';
import { orderListeners } from './events/listeners';
import { createGateway } from './gateway';
import { ensureIndexes, Payment } from './models';

void runService({
  name: 'payments',
  config: paymentsConfigSchema(process.env),
  build: async ({ config, logger, metrics }) => {
    await ensureIndexes();
    return {
      app: createApp({
        logger,
        metrics,
        sessionKeys: config.SESSION_PUBLIC_KEYS,
        gateway: createGateway(config, logger),
        webhookSecret: config.STRIPE_WEBHOOK_SECRET,
        paymentsPerMinute: config.RATE_LIMIT_PAYMENTS_PER_MIN,
        secureCookies: config.NODE_ENV === 'production',
      }),
      listeners: orderListeners,
      outbox: [Payment],
    };
  },
}).catch((err: unknown) => {
  process.stderr.write(`payments: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
