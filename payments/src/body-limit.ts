/** Stripe event payloads (a PaymentIntent with its charge) can exceed the 16kb default. */
export const PAYMENTS_BODY_LIMIT = '128kb';
