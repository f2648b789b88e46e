/**
 * What the payments service needs from a card processor: Stripe's PaymentIntents with
 * manual capture (authorise, then capture or cancel; refund as the backstop). Implemented by
 * StripeGateway (the real API, or stripe-mock in contract tests) and SandboxGateway (offline,
 * Stripe's documented test cards, state kept in the service's database).
 *
 * Every call that changes something takes an idempotency key: the same key ⇒ the same
 * outcome, so a retried or concurrent call never acts twice.
 */

export const CURRENCY = 'usd';

/** A PaymentIntent's status, as Stripe names it. */
export type IntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

/** What we read back from the processor about one PaymentIntent. */
export interface IntentState {
  /** `pi_…` */
  id: string;
  status: IntentStatus;
  /** Smallest currency unit (cents). */
  amountCents: number;
  /** Captured so far (cents): 0 until captured. */
  amountCapturedCents: number;
  /** Refunded so far (cents). */
  amountRefundedCents: number;
  currency: string;
  livemode: boolean;
  /** metadata.orderId / metadata.attempt as we set them when creating the intent. */
  metadata: { orderId?: string; attempt?: string };
  /** Given to the browser (Payment Element / 3-D Secure); never logged. */
  clientSecret?: string;
  /** Why the last confirmation failed (a decline message), if it did. */
  lastError?: string;
}

export interface AuthorizeRequest {
  orderId: string;
  /** The order's attempt number: part of the idempotency key and of the intent's metadata. */
  attempt: number;
  amountCents: number;
  /** A card token (`tok_…`) or a PaymentMethod id (`pm_…`) from the client. */
  token: string;
  idempotencyKey: string;
}

export interface CreateIntentRequest {
  orderId: string;
  attempt: number;
  amountCents: number;
  idempotencyKey: string;
}

export interface RefundResult {
  /** `re_…` */
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'requires_action';
  amountCents: number;
}

export interface PaymentGateway {
  /**
   * Creates and confirms a PaymentIntent with `capture_method: manual` for the token: the
   * money is held, not taken. Resolves with the intent whatever its status
   * (`requires_capture` authorised, `requires_action` 3-D Secure needed, `processing`,
   * `requires_payment_method` declined after creation). Throws CardDeclinedError,
   * InvalidPaymentTokenError, PaymentInProgressError or GatewayUnavailableError.
   */
  authorize(request: AuthorizeRequest): Promise<IntentState>;
  /** Creates an unconfirmed manual-capture intent for the browser to confirm (Payment Element). */
  createIntent(request: CreateIntentRequest): Promise<IntentState>;
  /** The intent as the processor has it now. */
  retrieve(intentId: string): Promise<IntentState>;
  /** Takes the held money (`requires_capture` → `succeeded`); a captured intent is returned as is. */
  capture(intentId: string, idempotencyKey: string): Promise<IntentState>;
  /** Releases the hold (`requires_capture`/`requires_action`/… → `canceled`); the buyer is never charged. */
  cancel(intentId: string, idempotencyKey: string): Promise<IntentState>;
  /** Gives captured money back, in full. */
  refund(intentId: string, amountCents: number, idempotencyKey: string): Promise<RefundResult>;
}
