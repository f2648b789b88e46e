/**
 * What the offline sandbox does with each card, after Stripe's documented test cards
 * (https://docs.stripe.com/testing): the `tok_…` tokens and `pm_card_…` PaymentMethods.
 * The `pm_sandbox_…` ones are OURS, not Stripe's: they make the sandbox answer in ways no
 * Stripe test card can be asked to (a payment that stays `processing`, a processor outage).
 */
export type CardBehaviour =
  /** Authorised: the intent waits for capture (`requires_capture`). */
  | { outcome: 'authorize' }
  /** Declined: CardDeclinedError with Stripe's message; the intent stays `requires_payment_method`. */
  | { outcome: 'decline'; message: string }
  /** 3-D Secure required: `requires_action` with a client secret. */
  | { outcome: 'requires_action' }
  /** `processing`; authorised a few seconds later (see SandboxGatewayOptions.processingSettlesAfterMs). */
  | { outcome: 'processing' }
  /** The processor fails (GatewayUnavailableError) and remembers nothing, like a request that never reached it. */
  | { outcome: 'processor_error' };

const authorize: CardBehaviour = { outcome: 'authorize' };
const decline = (message: string): CardBehaviour => ({ outcome: 'decline', message });

export const TEST_CARDS: Readonly<Record<string, CardBehaviour>> = {
  tok_visa: authorize,
  tok_mastercard: authorize,
  tok_amex: authorize,
  pm_card_visa: authorize,
  pm_card_mastercard: authorize,
  pm_card_amex: authorize,
  tok_chargeDeclined: decline('Your card was declined.'),
  pm_card_chargeDeclined: decline('Your card was declined.'),
  tok_chargeDeclinedInsufficientFunds: decline('Your card has insufficient funds.'),
  pm_card_chargeDeclinedInsufficientFunds: decline('Your card has insufficient funds.'),
  tok_chargeDeclinedExpiredCard: decline('Your card has expired.'),
  pm_card_chargeDeclinedExpiredCard: decline('Your card has expired.'),
  tok_threeDSecure2Required: { outcome: 'requires_action' },
  pm_card_threeDSecure2Required: { outcome: 'requires_action' },
  pm_card_authenticationRequired: { outcome: 'requires_action' },
  // Ours (documented in the OpenAPI description), not Stripe's:
  pm_sandbox_processing: { outcome: 'processing' },
  pm_sandbox_processorError: { outcome: 'processor_error' },
};
