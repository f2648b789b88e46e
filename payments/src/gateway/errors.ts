/** The card was declined (or the payment otherwise not completed): answered 402. */
export class CardDeclinedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CardDeclinedError';
  }
}

/** The token / payment method is not usable (unknown, malformed, already used): answered 400. */
export class InvalidPaymentTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPaymentTokenError';
  }
}

/**
 * The idempotency key is being used by a concurrent request, or was used with other
 * parameters (another card for the same attempt): answered 409, the client may retry.
 */
export class PaymentInProgressError extends Error {
  constructor(message = 'Another payment for this order is in progress; try again') {
    super(message);
    this.name = 'PaymentInProgressError';
  }
}

/** The processor could not be reached or failed: answered 503, nothing was recorded. */
export class GatewayUnavailableError extends Error {
  constructor(message = 'The payment provider is unavailable; try again shortly') {
    super(message);
    this.name = 'GatewayUnavailableError';
  }
}

/** The intent is not in a state that allows this call (e.g. capturing a canceled intent). */
export class IntentStateError extends Error {
  constructor(readonly intentStatus: string, message: string) {
    super(message);
    this.name = 'IntentStateError';
  }
}
