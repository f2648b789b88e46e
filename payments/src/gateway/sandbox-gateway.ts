import { randomBytes } from 'node:crypto';
import { CardDeclinedError, InvalidPaymentTokenError, PaymentInProgressError } from './errors';
import {
  CURRENCY,
  type AuthorizeRequest,
  type CreateIntentRequest,
  type IntentState,
  type PaymentGateway,
  type RefundResult,
} from './payment-gateway';

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

// Interim (branch h/pay-stripe): the smallest adaptation to the issue-15 interface so the
// service compiles; the pay-core branch replaces this gateway with the full sandbox.

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

  private readonly intents = new Map<string, IntentState>();

  async authorize({ orderId, attempt, amountCents, token, idempotencyKey }: AuthorizeRequest): Promise<IntentState> {
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
      if ('id' in outcome) {
        this.chargesMade++;
        this.intents.set(outcome.id, intentState(outcome.id, 'requires_capture', amountCents, orderId, attempt));
      }
      entry = { params, outcome };
      this.outcomes.set(idempotencyKey, entry);
    } else if (entry.params !== params) {
      throw new PaymentInProgressError(
        'Keys for idempotent requests can only be used with the same parameters they were first used with; try again',
      );
    }
    await new Promise<void>((resolve) => setImmediate(resolve)); // answers asynchronously, like a network call
    if ('declined' in entry.outcome) throw new CardDeclinedError(entry.outcome.declined);
    return this.retrieve(entry.outcome.id);
  }

  async createIntent({ orderId, attempt, amountCents }: CreateIntentRequest): Promise<IntentState> {
    const id = `pi_sandbox_${randomBytes(12).toString('hex')}`;
    this.intents.set(id, intentState(id, 'requires_payment_method', amountCents, orderId, attempt));
    return this.retrieve(id);
  }

  async retrieve(intentId: string): Promise<IntentState> {
    const intent = this.intents.get(intentId);
    if (!intent) throw new Error(`No such sandbox intent ${intentId}`);
    return { ...intent };
  }

  async capture(intentId: string): Promise<IntentState> {
    const intent = await this.retrieve(intentId);
    if (intent.status === 'requires_capture') {
      this.intents.set(intentId, { ...intent, status: 'succeeded', amountCapturedCents: intent.amountCents });
    }
    return this.retrieve(intentId);
  }

  async cancel(intentId: string): Promise<IntentState> {
    const intent = await this.retrieve(intentId);
    if (intent.status !== 'succeeded') this.intents.set(intentId, { ...intent, status: 'canceled' });
    return this.retrieve(intentId);
  }

  async refund(intentId: string, amountCents: number): Promise<RefundResult> {
    const intent = await this.retrieve(intentId);
    this.intents.set(intentId, { ...intent, amountRefundedCents: amountCents });
    return { id: `re_sandbox_${randomBytes(12).toString('hex')}`, status: 'succeeded', amountCents };
  }
}

function intentState(id: string, status: IntentState['status'], amountCents: number, orderId: string, attempt: number): IntentState {
  return {
    id,
    status,
    amountCents,
    amountCapturedCents: 0,
    amountRefundedCents: 0,
    currency: CURRENCY,
    livemode: false,
    metadata: { orderId, attempt: String(attempt) },
  };
}
