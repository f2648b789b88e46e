import Stripe from 'stripe';
import {
  CardDeclinedError,
  GatewayUnavailableError,
  IntentStateError,
  InvalidPaymentTokenError,
  PaymentInProgressError,
} from './errors';

/**
 * What a Stripe call was about. `buyer`: creating an intent from the buyer's token and the
 * order's amount (authorize, createIntent), where a refused parameter is the buyer's card or
 * the amount. `intent`: acting on an intent we already hold (retrieve, capture, cancel,
 * refund), where no buyer input is involved, so nothing becomes a 400 for the buyer.
 */
export type StripeCall = 'buyer' | 'intent';

/** Stripe's error codes that mean the buyer's token or card, or the amount, is unusable. */
const BUYER_INPUT_CODES = [
  'token_already_used',
  'token_in_use',
  'amount_too_small',
  'amount_too_large',
  'payment_intent_incompatible_payment_method',
  'payment_method_unexpected_state',
  'payment_method_unactivated',
];

/** Turns a Stripe SDK error into one of the gateway errors; anything else is returned as is (a 500). */
export function translateStripeError(err: unknown, call: StripeCall): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  if (err instanceof Stripe.errors.StripeCardError) return new CardDeclinedError(err.message);
  if (err instanceof Stripe.errors.StripeIdempotencyError || err.statusCode === 409) {
    return new PaymentInProgressError();
  }
  if (err.code === 'payment_intent_unexpected_state') {
    return new IntentStateError(err.payment_intent?.status ?? 'unknown', err.message);
  }
  if (call === 'buyer' && err instanceof Stripe.errors.StripeInvalidRequestError && isAboutBuyerInput(err)) {
    return new InvalidPaymentTokenError(err.message);
  }
  if (
    err instanceof Stripe.errors.StripeConnectionError ||
    err instanceof Stripe.errors.StripeAPIError ||
    err instanceof Stripe.errors.StripeRateLimitError
  ) {
    return new GatewayUnavailableError();
  }
  return err; // our bug or our configuration (bad key, unknown intent id): a 500 with a request id
}

function isAboutBuyerInput(err: InstanceType<typeof Stripe.errors.StripeInvalidRequestError>): boolean {
  const param = err.param ?? '';
  return (
    /^(card|payment_method|token)/.test(param) ||
    param === 'amount' ||
    // Creating an intent refers to no object of ours: whatever is missing is the buyer's token or card.
    err.code === 'resource_missing' ||
    BUYER_INPUT_CODES.includes(err.code ?? '')
  );
}
