import { randomBytes } from 'node:crypto';
import { CardDeclinedError, InvalidPaymentTokenError, PaymentInProgressError } from './errors';
import type { ChargeRequest, ChargeResult, PaymentGateway } from './payment-gateway';

/** Stripe's documented test cards (tokens and PaymentMethods) and what they do. */
const TEST_CARDS: Record<string, { decline?: string }> = {
  tok_visa: {},
  tok_mastercard: {},
  tok_amex: {},
  pm_card_visa: {},
  pm_card_mastercard: {},
  pm_card_amex: {},
  tok_chargeDeclined: { decline: 'Your card was declined.' },
  pm_card_chargeDeclined: { decline: 'Your card was declined.' },
  tok_chargeDeclinedInsufficientFunds: { decline: 'Your card has insufficient funds.' },
  pm_card_chargeDeclinedInsufficientFunds: { decline: 'Your card has insufficient funds.' },
  tok_chargeDeclinedExpiredCard: { decline: 'Your card has expired.' },
  pm_card_chargeDeclinedExpiredCard: { decline: 'Your card has expired.' },
};

type Outcome = { id: string } | { declined: string };

/**
 * An offline stand-in for Stripe (no STRIPE_KEY, never in production) that behaves like
 * Stripe for its documented test tokens, idempotency included: the first request with a key
 * decides the outcome (success or decline) and every later request with that key gets the
 * same outcome; a key reused with other parameters is refused. State is per process.
 */
export class SandboxGateway implements PaymentGateway {
  private readonly outcomes = new Map<string, { params: string; outcome: Outcome }>();
  /** Charges really made (not replays): what a card statement would show. */
  chargesMade = 0;

  async charge({ amountCents, token, idempotencyKey }: ChargeRequest): Promise<ChargeResult> {
    const card = TEST_CARDS[token];
    // Like Stripe, a request that fails validation is not remembered under its key.
    if (!card) throw new InvalidPaymentTokenError('Unknown test card token');
    if (!Number.isInteger(amountCents) || amountCents <= 0) throw new InvalidPaymentTokenError('Invalid amount');

    const params = `${amountCents}:${token}`;
    let entry = this.outcomes.get(idempotencyKey);
    if (!entry) {
      // Decided and stored before any await, so concurrent requests share the outcome.
      const outcome: Outcome = card.decline
        ? { declined: card.decline }
        : { id: `pi_sandbox_${randomBytes(12).toString('hex')}` };
      if ('id' in outcome) this.chargesMade++;
      entry = { params, outcome };
      this.outcomes.set(idempotencyKey, entry);
    } else if (entry.params !== params) {
      throw new PaymentInProgressError(
        'Keys for idempotent requests can only be used with the same parameters they were first used with; try again',
      );
    }
    await new Promise<void>((resolve) => setImmediate(resolve)); // answers asynchronously, like a network call
    if ('declined' in entry.outcome) throw new CardDeclinedError(entry.outcome.declined);
    return { id: entry.outcome.id };
  }
}
