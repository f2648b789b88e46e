import type Stripe from 'stripe';
import { CURRENCY, type AuthorizeRequest, type CreateIntentRequest } from './payment-gateway';

/**
 * The Stripe API request bodies the gateway sends, in one place so the contract test can
 * check them against stripe-mock (Stripe's OpenAPI schema) and read them in one file.
 */

/**
 * Cards only. The pinned API version names this `allowed_payment_method_types` (it replaced
 * `payment_method_types` and is exclusive with `automatic_payment_methods`). Cards (wallets
 * such as Apple Pay and Google Pay are cards too) support holding and later capturing or
 * releasing the money; redirect-based methods mostly do not, and would need a `return_url`.
 */
const CARDS_ONLY: Pick<Stripe.PaymentIntentCreateParams, 'allowed_payment_method_types'> = {
  allowed_payment_method_types: ['card'],
};

const description = (orderId: string) => `Ticketing order ${orderId}`;

/** Lets a webhook or the reconciler map the intent back to the order and its attempt. */
const intentMetadata = (orderId: string, attempt: number) => ({ orderId, attempt: String(attempt) });

/**
 * A `tok_…` card token becomes a PaymentMethod first (`card[token]`, Stripe's documented
 * migration path: the API schema does not accept `payment_method_data[type]=card` with a token).
 */
export function paymentMethodParams(token: string): Stripe.PaymentMethodCreateParams {
  return { type: 'card', card: { token } };
}

/** Creates and confirms a manual-capture intent: on success the money is held, not taken. */
export function authorizeParams(req: AuthorizeRequest, paymentMethod: string): Stripe.PaymentIntentCreateParams {
  return {
    amount: req.amountCents,
    currency: CURRENCY,
    payment_method: paymentMethod,
    confirm: true,
    capture_method: 'manual',
    ...CARDS_ONLY,
    // Confirmed here, on the server; a card that needs 3-D Secure comes back `requires_action`
    // and the browser finishes it with Stripe.js (handleNextAction with the client secret).
    // This is what makes that possible without a `return_url` (no error_on_requires_action).
    use_stripe_sdk: true,
    description: description(req.orderId),
    metadata: intentMetadata(req.orderId, req.attempt),
  };
}

/** An unconfirmed manual-capture intent that the browser confirms with the Payment Element. */
export function createIntentParams(req: CreateIntentRequest): Stripe.PaymentIntentCreateParams {
  return {
    amount: req.amountCents,
    currency: CURRENCY,
    capture_method: 'manual',
    ...CARDS_ONLY,
    description: description(req.orderId),
    metadata: intentMetadata(req.orderId, req.attempt),
  };
}

/** Retrieved intents carry their latest charge, which says how much was refunded. */
export const retrieveParams: Stripe.PaymentIntentRetrieveParams = { expand: ['latest_charge'] };

export function refundParams(intentId: string, amountCents: number): Stripe.RefundCreateParams {
  return { payment_intent: intentId, amount: amountCents };
}

/** The refunds already made for an intent (to find the one a past request made). */
export function existingRefundsParams(intentId: string): Stripe.RefundListParams {
  return { payment_intent: intentId, limit: 100 };
}
