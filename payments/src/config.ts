import { intFromEnv, sessionConfigSchema } from '@ticketing/common';
import { z } from 'zod';

/**
 * Webhook signing secret used when STRIPE_WEBHOOK_SECRET is not set and there is no STRIPE_KEY
 * (the offline sandbox), so local webhook tests work out of the box. It is published in this
 * repository: with a real STRIPE_KEY (or in production) the variable is required, or anyone
 * could sign a fake payment_intent.succeeded.
 */
export const DEV_WEBHOOK_SECRET = 'whsec_ticketing_development_only';

/** An unset or empty variable counts as absent. */
const blankAsAbsent = (v: unknown) => (v === '' ? undefined : v);
const optionalString = z.preprocess(blankAsAbsent, z.string().optional());

/**
 * The payments service's own variables. Depends on NODE_ENV (read from the same env that
 * runService validates): in production STRIPE_KEY and STRIPE_WEBHOOK_SECRET are required, so
 * the service refuses to start instead of silently running the offline sandbox; with a
 * STRIPE_KEY anywhere, STRIPE_WEBHOOK_SECRET is required too.
 *
 * - STRIPE_KEY: Stripe secret key; without it the offline sandbox gateway is used (not in production).
 * - STRIPE_WEBHOOK_SECRET: `whsec_…` used to verify `Stripe-Signature`; default DEV_WEBHOOK_SECRET only for the offline sandbox.
 * - STRIPE_API_HOST / STRIPE_API_PORT / STRIPE_API_PROTOCOL: where the Stripe SDK sends requests
 *   (default api.stripe.com:443 over https); tests point them at stripe-mock.
 */
export function paymentsConfigSchema(env: NodeJS.ProcessEnv = process.env) {
  const production = env.NODE_ENV === 'production';
  const realStripe = (env.STRIPE_KEY ?? '') !== '';
  return sessionConfigSchema.extend({
    STRIPE_KEY: production
      ? z.string().min(1, 'is required in production (the offline sandbox gateway is for development only)')
      : optionalString,
    STRIPE_WEBHOOK_SECRET: production || realStripe
      ? z.string().min(1, production ? 'is required in production' : 'is required with STRIPE_KEY (the default secret is public)')
      : z.preprocess(blankAsAbsent, z.string().default(DEV_WEBHOOK_SECRET)),
    STRIPE_API_HOST: optionalString,
    STRIPE_API_PORT: z.preprocess(blankAsAbsent, z.coerce.number().int().min(1).max(65535).optional()),
    STRIPE_API_PROTOCOL: z.preprocess(blankAsAbsent, z.enum(['http', 'https']).optional()),
    /** Payment attempts one signed-in user may make per minute (counted in MongoDB, across replicas); 0 = no limit. */
    RATE_LIMIT_PAYMENTS_PER_MIN: intFromEnv(10),
  });
}

export type PaymentsConfig = z.infer<ReturnType<typeof paymentsConfigSchema>>;
