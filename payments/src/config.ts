import { randomBytes } from 'node:crypto';
import { intFromEnv, sessionConfigSchema } from '@ticketing/common';
import { z } from 'zod';

/**
 * Webhook signing secret used when STRIPE_WEBHOOK_SECRET is not set and there is no STRIPE_KEY
 * (the offline sandbox): random per process, so no secret is committed and nobody can sign an
 * event for a service nobody configured. The local stack generates one at first start and
 * passes it (kept in .state/secrets/); with a real STRIPE_KEY (or in production) the variable
 * is required.
 */
export const DEV_WEBHOOK_SECRET = `whsec_${randomBytes(24).toString('hex')}`;

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
 * - SANDBOX_PROCESSOR_DELAY_MS: the offline sandbox answers every call this much later (after
 *   acting): a slow processor for race and crash tests. Refused in production.
 * - PAYMENT_SWEEP_INTERVAL_SECONDS / PAYMENT_RECHECK_AFTER_SECONDS: the reconciliation sweep.
 */
export function paymentsConfigSchema(env: NodeJS.ProcessEnv) {
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
    SANDBOX_PROCESSOR_DELAY_MS: production
      ? z.preprocess((v) => (v === undefined || v === '' ? 0 : Number(v)), z.literal(0, 'must not be set in production (the offline sandbox is for development only)'))
      : intFromEnv(0, { max: 600_000 }),
    /** Every this many seconds the sweep drives unfinished payments to their final state; 0 = off. */
    PAYMENT_SWEEP_INTERVAL_SECONDS: intFromEnv(10),
    /** How long a payment may stay pending / processing / requires_action before it is re-issued or re-read. */
    PAYMENT_RECHECK_AFTER_SECONDS: intFromEnv(10),
  });
}

export type PaymentsConfig = z.infer<ReturnType<typeof paymentsConfigSchema>>;
