import type { Logger } from '@ticketing/common';
import type { PaymentsConfig } from '../config';
import type { PaymentGateway } from './payment-gateway';
import { SandboxGateway } from './sandbox-gateway';
import { createStripeClient, StripeGateway } from './stripe-gateway';

export * from './errors';
export * from './payment-gateway';
export { SandboxGateway, SandboxIntent, type SandboxGatewayOptions } from './sandbox-gateway';
export { createStripeClient, StripeGateway } from './stripe-gateway';

/** Stripe when a key is configured; otherwise the offline sandbox (config forbids that in production). */
export function createGateway(config: PaymentsConfig, logger: Logger): PaymentGateway {
  if (config.STRIPE_KEY) {
    logger.info({ host: config.STRIPE_API_HOST ?? 'api.stripe.com' }, 'payments go through Stripe');
    return new StripeGateway(
      createStripeClient({
        apiKey: config.STRIPE_KEY,
        host: config.STRIPE_API_HOST,
        port: config.STRIPE_API_PORT,
        protocol: config.STRIPE_API_PROTOCOL,
      }),
    );
  }
  logger.warn('STRIPE_KEY is not set: using the offline sandbox gateway (Stripe test tokens only, no real charges)');
  return new SandboxGateway({ delayMs: config.SANDBOX_PROCESSOR_DELAY_MS });
}
