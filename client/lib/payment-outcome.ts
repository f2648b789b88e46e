import { ApiError, type ApiErrorItem, type PaymentAnswer } from './api/types';

/** What one payment attempt came to, as the order page acts on it. */
export type PaymentOutcome =
  /** Charged (201). */
  | { kind: 'paid' }
  /** Held on the card (or the processor is still working): the order decides soon; poll it. */
  | { kind: 'authorising' }
  /** The card needs 3-D Secure in the browser (Stripe.js), with this intent's client secret. */
  | { kind: 'needs-action'; clientSecret: string }
  /** The card was declined (402): the processor's message; the order stays payable. */
  | { kind: 'declined'; errors: ApiErrorItem[] }
  /** Refused for a reason about the order (cancelled or paid meanwhile): nothing was charged. */
  | { kind: 'order-refused'; errors: ApiErrorItem[] }
  /** Anything else (an invalid card, the service unreachable): try again. */
  | { kind: 'failed'; errors: ApiErrorItem[] };

/**
 * A successful answer of POST /api/payments. A 201 `{id}` without a status (payments services
 * before authorise-then-capture) was a charge: paid.
 */
export function outcomeOfAnswer(answer: Partial<PaymentAnswer> | null): PaymentOutcome {
  switch (answer?.status) {
    case undefined:
    case 'captured':
      return { kind: 'paid' };
    case 'requires_action':
      return answer.clientSecret ? { kind: 'needs-action', clientSecret: answer.clientSecret } : { kind: 'authorising' };
    // authorized, processing, pending (the 202s); a success never carries the final ones
    // (voided, refunded, failed), and the order page polls the order whatever it says.
    default:
      return { kind: 'authorising' };
  }
}

/** A refused POST /api/payments (or a network failure). */
export function outcomeOfError(err: unknown): PaymentOutcome {
  if (!(err instanceof ApiError)) return { kind: 'failed', errors: [{ message: 'Something unexpected went wrong. Please try again.' }] };
  if (err.status === 402) return { kind: 'declined', errors: err.errors };
  // 409 (a payment of this order is processing, or the order is not confirmed yet) says so and
  // stays 'failed': the order page watches any authorised payment by itself.
  // A 400 naming the card (token) is about the card; any other 400 is about the order.
  if (err.status === 400 && !err.errors.some((e) => e.field === 'token' || e.field === 'paymentIntentId')) {
    return { kind: 'order-refused', errors: err.errors };
  }
  return { kind: 'failed', errors: err.errors };
}

/** The PaymentIntent id inside its client secret (`pi_…_secret_…`). */
export function intentIdOf(clientSecret: string): string {
  return clientSecret.split('_secret_')[0];
}
