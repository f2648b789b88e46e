import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDuplicateKeyError } from '@ticketing/common';
import { CardDeclinedError, GatewayUnavailableError, IntentStateError, InvalidPaymentTokenError, PaymentInProgressError } from './errors';
import {
  CURRENCY,
  type AuthorizeRequest,
  type CreateIntentRequest,
  type IntentState,
  type IntentStatus,
  type PaymentGateway,
  type RefundResult,
} from './payment-gateway';
import { SandboxIntent, type SandboxIntentRecord } from './sandbox/sandbox-intent';
import { TEST_CARDS, type CardBehaviour } from './sandbox/test-cards';

export { SandboxIntent } from './sandbox/sandbox-intent';

export interface SandboxGatewayOptions {
  /**
   * SANDBOX_PROCESSOR_DELAY_MS: every call waits this long AFTER the sandbox has acted and
   * stored its state and BEFORE it answers, like a slow processor. A process killed during
   * the wait is "the processor acted, we never recorded it".
   */
  delayMs?: number;
  /**
   * A `processing` intent (pm_sandbox_processing) is authorised by the time it is retrieved
   * this long after its creation, like a payment the network settles later. Default 5 s.
   */
  processingSettlesAfterMs?: number;
}

const PROCESSING_SETTLES_AFTER_MS = 5_000;

/** Stripe refuses amounts below 50 cents (USD) and above 99,999,999. */
const MIN_AMOUNT_CENTS = 50;
const MAX_AMOUNT_CENTS = 99_999_999;

const IDEMPOTENCY_MISMATCH =
  'Keys for idempotent requests can only be used with the same parameters they were first used with; try again';

/** What `confirm` with a card leaves the intent as. */
function confirmedState(card: CardBehaviour): Pick<SandboxIntentRecord, 'status' | 'lastError' | 'declined'> {
  switch (card.outcome) {
    case 'authorize':
      return { status: 'requires_capture' };
    case 'decline':
      return { status: 'requires_payment_method', lastError: card.message, declined: card.message };
    case 'requires_action':
      return { status: 'requires_action' };
    case 'processing':
      return { status: 'processing' };
    case 'processor_error':
      throw new Error('unreachable: processor errors store nothing');
  }
}

function toIntentState(doc: SandboxIntentRecord): IntentState {
  return {
    id: doc._id,
    status: doc.status,
    amountCents: doc.amountCents,
    amountCapturedCents: doc.amountCapturedCents,
    amountRefundedCents: doc.amountRefundedCents,
    currency: doc.currency,
    livemode: false,
    metadata: { ...doc.metadata },
    clientSecret: doc.clientSecret,
    lastError: doc.lastError,
  };
}

/**
 * An offline stand-in for Stripe's PaymentIntents with manual capture (no STRIPE_KEY, never in
 * production), honouring Stripe's documented test cards (see sandbox/test-cards.ts) and its
 * idempotency rules: the first request with a key decides the outcome and every later request
 * with that key gets the same outcome; the key reused with other parameters is refused
 * (PaymentInProgressError); a request that fails validation (unknown card, bad amount) is not
 * remembered. Its state is in MongoDB (`sandbox_intents`), shared by replicas.
 */
export class SandboxGateway implements PaymentGateway {
  private failuresToSimulate = 0;

  constructor(private readonly options: SandboxGatewayOptions = {}) {}

  /** Test hook: the next `calls` calls fail like a processor outage, acting on nothing. */
  failNextCalls(calls = 1): void {
    this.failuresToSimulate += calls;
  }

  async authorize(req: AuthorizeRequest): Promise<IntentState> {
    this.simulatedOutage();
    const card = TEST_CARDS[req.token];
    if (!card) throw new InvalidPaymentTokenError('Unknown test card token');
    assertAmount(req.amountCents);
    if (card.outcome === 'processor_error') throw new GatewayUnavailableError();
    const params = JSON.stringify(['authorize', req.orderId, req.attempt, req.amountCents, req.token]);
    const doc = await this.createOnce(req, params, confirmedState(card));
    await this.processorDelay();
    if (doc.declined) throw new CardDeclinedError(doc.declined);
    return toIntentState(doc);
  }

  async createIntent(req: CreateIntentRequest): Promise<IntentState> {
    this.simulatedOutage();
    assertAmount(req.amountCents);
    const params = JSON.stringify(['create', req.orderId, req.attempt, req.amountCents]);
    const doc = await this.createOnce(req, params, { status: 'requires_payment_method' });
    await this.processorDelay();
    return toIntentState(doc);
  }

  async retrieve(intentId: string): Promise<IntentState> {
    this.simulatedOutage();
    let doc = await this.find(intentId);
    const settlesAfter = this.options.processingSettlesAfterMs ?? PROCESSING_SETTLES_AFTER_MS;
    if (doc.status === 'processing' && Date.now() - new Date(doc.createdAt).getTime() >= settlesAfter) {
      await SandboxIntent.updateOne({ _id: intentId, status: 'processing' }, { $set: { status: 'requires_capture' } });
      doc = await this.find(intentId);
    }
    await this.processorDelay();
    return toIntentState(doc);
  }

  async capture(intentId: string, _idempotencyKey: string): Promise<IntentState> {
    this.simulatedOutage();
    const doc = await this.transition(intentId, ['requires_capture'], 'succeeded', (d) => ({ amountCapturedCents: d.amountCents }), 'succeeded', (status) =>
      `This PaymentIntent could not be captured because it has a status of ${status}.`,
    );
    await this.processorDelay();
    return toIntentState(doc);
  }

  async cancel(intentId: string, _idempotencyKey: string): Promise<IntentState> {
    this.simulatedOutage();
    const doc = await this.transition(
      intentId,
      ['requires_payment_method', 'requires_confirmation', 'requires_action', 'requires_capture', 'processing'],
      'canceled',
      () => ({}),
      'canceled',
      (status) => `You cannot cancel this PaymentIntent because it has a status of ${status}.`,
    );
    await this.processorDelay();
    return toIntentState(doc);
  }

  async refund(intentId: string, amountCents: number, idempotencyKey: string): Promise<RefundResult> {
    this.simulatedOutage();
    for (;;) {
      const doc = await this.find(intentId);
      const earlier = doc.refunds.find((r) => r.idempotencyKey === idempotencyKey);
      if (earlier) {
        await this.processorDelay();
        return { id: earlier.id, status: 'succeeded', amountCents: earlier.amountCents };
      }
      if (doc.status !== 'succeeded') {
        throw new IntentStateError(doc.status, `This PaymentIntent has no captured charge to refund (status ${doc.status}).`);
      }
      if (doc.amountRefundedCents + amountCents > doc.amountCapturedCents) {
        throw new IntentStateError(doc.status, `Refund amount (${amountCents}) is greater than what is left to refund.`);
      }
      const refund = { id: `re_sandbox_${randomBytes(12).toString('hex')}`, idempotencyKey, amountCents };
      // Conditional on what was read, so concurrent refunds never give back more than was taken.
      const done = await SandboxIntent.updateOne(
        { _id: intentId, status: 'succeeded', amountRefundedCents: doc.amountRefundedCents, 'refunds.idempotencyKey': { $ne: idempotencyKey } },
        { $inc: { amountRefundedCents: amountCents }, $push: { refunds: refund } },
      );
      if (done.modifiedCount === 1) {
        await this.processorDelay();
        return { id: refund.id, status: 'succeeded', amountCents };
      }
    }
  }

  // --- what the buyer or the card network does later (tests) ----------------------------

  /** The buyer completed (or failed) 3-D Secure: `requires_action` → authorised or back to `requires_payment_method`. */
  async completeAuthentication(intentId: string, succeeded = true): Promise<IntentState> {
    return this.advance(intentId, ['requires_action'], succeeded);
  }

  /** A `processing` payment finished: authorised, or failed. */
  async finishProcessing(intentId: string, succeeded = true): Promise<IntentState> {
    return this.advance(intentId, ['processing'], succeeded);
  }

  /** The browser confirmed an intent from createIntent with a card (Stripe.js confirmPayment). */
  async confirmWithCard(intentId: string, token: string): Promise<IntentState> {
    const card = TEST_CARDS[token];
    if (!card || card.outcome === 'processor_error') throw new InvalidPaymentTokenError('Unknown test card token');
    const next = confirmedState(card);
    const doc = await SandboxIntent.findOneAndUpdate(
      { _id: intentId, status: 'requires_payment_method' },
      next.lastError ? { $set: { status: next.status, lastError: next.lastError } } : { $set: { status: next.status }, $unset: { lastError: 1 } },
      { returnDocument: 'after' },
    ).lean<SandboxIntentRecord>();
    return toIntentState(doc ?? (await this.find(intentId)));
  }

  // --- internals ------------------------------------------------------------------------

  private async advance(intentId: string, from: IntentStatus[], succeeded: boolean): Promise<IntentState> {
    const doc = await SandboxIntent.findOneAndUpdate(
      { _id: intentId, status: { $in: from } },
      succeeded
        ? { $set: { status: 'requires_capture' }, $unset: { lastError: 1 } }
        : { $set: { status: 'requires_payment_method', lastError: 'The payment could not be completed.' } },
      { returnDocument: 'after' },
    ).lean<SandboxIntentRecord>();
    return toIntentState(doc ?? (await this.find(intentId)));
  }

  /** The intent created under `key`, created now if it is the key's first use. */
  private async createOnce(
    req: { orderId: string; attempt: number; amountCents: number; idempotencyKey: string },
    params: string,
    state: Pick<SandboxIntentRecord, 'status' | 'lastError' | 'declined'>,
  ): Promise<SandboxIntentRecord> {
    const existing = await SandboxIntent.findOne({ idempotencyKey: req.idempotencyKey }).lean<SandboxIntentRecord>();
    if (existing) return replay(existing, params);
    const id = `pi_sandbox_${randomBytes(12).toString('hex')}`;
    try {
      const created = await SandboxIntent.create({
        _id: id,
        idempotencyKey: req.idempotencyKey,
        params,
        ...state,
        amountCents: req.amountCents,
        currency: CURRENCY,
        metadata: { orderId: req.orderId, attempt: String(req.attempt) },
        clientSecret: `${id}_secret_${randomBytes(12).toString('hex')}`,
      });
      return created.toObject();
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // A concurrent request with the key won: its outcome is ours.
      return replay((await SandboxIntent.findOne({ idempotencyKey: req.idempotencyKey }).lean<SandboxIntentRecord>())!, params);
    }
  }

  /**
   * Moves the intent from one of `from` to `to`; an intent already at `done` is returned as
   * it is (a repeated capture or cancel); any other status is an IntentStateError.
   */
  private async transition(
    intentId: string,
    from: IntentStatus[],
    to: IntentStatus,
    extra: (doc: SandboxIntentRecord) => Partial<SandboxIntentRecord>,
    done: IntentStatus,
    refusal: (status: IntentStatus) => string,
  ): Promise<SandboxIntentRecord> {
    for (;;) {
      const doc = await this.find(intentId);
      if (doc.status === done) return doc;
      if (!from.includes(doc.status)) throw new IntentStateError(doc.status, refusal(doc.status));
      const moved = await SandboxIntent.findOneAndUpdate(
        { _id: intentId, status: doc.status },
        { $set: { status: to, ...extra(doc) } },
        { returnDocument: 'after' },
      ).lean<SandboxIntentRecord>();
      if (moved) return moved;
    }
  }

  private async find(intentId: string): Promise<SandboxIntentRecord> {
    const doc = await SandboxIntent.findById(intentId).lean<SandboxIntentRecord>();
    if (!doc) throw new InvalidPaymentTokenError(`No such payment_intent: '${intentId}'`);
    return doc;
  }

  private simulatedOutage(): void {
    if (this.failuresToSimulate > 0) {
      this.failuresToSimulate--;
      throw new GatewayUnavailableError();
    }
  }

  private async processorDelay(): Promise<void> {
    if (this.options.delayMs) await sleep(this.options.delayMs);
  }
}

function replay(existing: SandboxIntentRecord, params: string): SandboxIntentRecord {
  if (existing.params !== params) throw new PaymentInProgressError(IDEMPOTENCY_MISMATCH);
  return existing;
}

function assertAmount(amountCents: number): void {
  if (!Number.isInteger(amountCents) || amountCents < MIN_AMOUNT_CENTS || amountCents > MAX_AMOUNT_CENTS) {
    throw new InvalidPaymentTokenError('Invalid amount');
  }
}
