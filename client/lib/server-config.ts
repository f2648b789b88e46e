// Runtime configuration read on the server at request time (never inlined at build time), so
// one built image serves every environment.

const env = process.env;

/** Base URL of the API for server-side rendering: the gateway locally, the ingress in Kubernetes. */
export function apiInternalUrl(): string {
  return (env.API_INTERNAL_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
}

/** Host header for server-side API calls (e.g. `ticketing.dev`, the host the Gateway's HTTPRoutes match). */
export function apiHostHeader(): string | undefined {
  return env.API_HOST_HEADER || undefined;
}

/** Milliseconds a server-side API call may take before the page shows "unavailable". */
export function apiTimeoutMs(): number {
  const ms = Number(env.API_TIMEOUT_MS);
  return Number.isInteger(ms) && ms > 0 ? ms : 8000;
}

/**
 * Stripe publishable key, or undefined for the offline test-mode card choice. Read through
 * `env` (not `process.env.NEXT_PUBLIC_…` literally) so the bundler does not freeze the
 * build-time value into the server bundle; the page hands it to the payment form as a prop.
 */
export function stripePublishableKey(): string | undefined {
  return env['NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY'] || undefined;
}
