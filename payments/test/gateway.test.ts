import { eventually, randomObjectId, sleep, testSessionEnv, useTestDatabase } from '@ticketing/dev-servers';
import { paymentsConfigSchema } from '../src/config';
import {
  CardDeclinedError,
  createGateway,
  GatewayUnavailableError,
  IntentStateError,
  InvalidPaymentTokenError,
  PaymentInProgressError,
  SandboxGateway,
  SandboxIntent,
  StripeGateway,
  type AuthorizeRequest,
} from '../src/gateway';
import { testLogger } from './helpers/environment';

useTestDatabase('payments_gateway');

const authorization = (token: string, over: Partial<AuthorizeRequest> = {}): AuthorizeRequest => {
  const orderId = randomObjectId();
  return { orderId, attempt: 0, amountCents: 2000, token, idempotencyKey: `pi:${orderId}:0`, ...over };
};

describe('offline sandbox gateway: authorise', () => {
  it("holds the amount for Stripe's succeeding test cards (requires_capture, nothing captured)", async () => {
    const sandbox = new SandboxGateway();
    for (const token of ['tok_visa', 'pm_card_visa', 'tok_mastercard', 'pm_card_amex']) {
      const req = authorization(token);
      expect(await sandbox.authorize(req)).toEqual({
        id: expect.stringMatching(/^pi_sandbox_[0-9a-f]{24}$/),
        status: 'requires_capture',
        amountCents: 2000,
        amountCapturedCents: 0,
        amountRefundedCents: 0,
        currency: 'usd',
        livemode: false,
        metadata: { orderId: req.orderId, attempt: '0' },
        clientSecret: expect.stringMatching(/^pi_sandbox_[0-9a-f]{24}_secret_/),
        lastError: undefined,
      });
    }
  });

  it('declines the chargeDeclined cards with Stripe\'s message, and replays the decline for the key', async () => {
    const sandbox = new SandboxGateway();
    for (const [token, message] of [
      ['tok_chargeDeclined', 'Your card was declined.'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'Your card has insufficient funds.'],
    ]) {
      const req = authorization(token);
      await expect(sandbox.authorize(req)).rejects.toEqual(new CardDeclinedError(message));
      await expect(sandbox.authorize(req)).rejects.toBeInstanceOf(CardDeclinedError);
      expect(await SandboxIntent.find({ idempotencyKey: req.idempotencyKey }, { status: 1, _id: 0 }).lean()).toEqual([{ status: 'requires_payment_method' }]);
    }
  });

  it('3-D Secure cards need an action; pm_sandbox_processing stays processing; pm_sandbox_processorError fails and stores nothing', async () => {
    const sandbox = new SandboxGateway();
    for (const token of ['tok_threeDSecure2Required', 'pm_card_threeDSecure2Required', 'pm_card_authenticationRequired']) {
      expect((await sandbox.authorize(authorization(token))).status).toBe('requires_action');
    }
    const processing = await sandbox.authorize(authorization('pm_sandbox_processing'));
    expect(processing.status).toBe('processing');
    expect((await sandbox.finishProcessing(processing.id)).status).toBe('requires_capture');
    // Left alone, a processing payment is authorised once it is read after processingSettlesAfterMs.
    const settling = new SandboxGateway({ processingSettlesAfterMs: 300 });
    const later = await settling.authorize(authorization('pm_sandbox_processing'));
    expect((await settling.retrieve(later.id)).status).toBe('processing');
    await sleep(400);
    expect((await settling.retrieve(later.id)).status).toBe('requires_capture');

    const req = authorization('pm_sandbox_processorError');
    await expect(sandbox.authorize(req)).rejects.toBeInstanceOf(GatewayUnavailableError);
    expect(await SandboxIntent.countDocuments({ idempotencyKey: req.idempotencyKey })).toBe(0);
  });

  it('refuses tokens and amounts it does not accept, and (like Stripe) does not remember them under the key', async () => {
    const sandbox = new SandboxGateway();
    const req = authorization('tok_4242424242424242');
    await expect(sandbox.authorize(req)).rejects.toEqual(new InvalidPaymentTokenError('Unknown test card token'));
    await expect(sandbox.authorize({ ...req, token: 'tok_visa', amountCents: 49 })).rejects.toEqual(new InvalidPaymentTokenError('Invalid amount'));
    expect((await sandbox.authorize({ ...req, token: 'tok_visa' })).status).toBe('requires_capture');
  });

  it('same key: one intent, even concurrently and across replicas (state in MongoDB); other parameters: refused', async () => {
    const req = authorization('tok_visa');
    const replicas = [new SandboxGateway(), new SandboxGateway()];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => replicas[i % 2].authorize(req)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await SandboxIntent.countDocuments({ 'metadata.orderId': req.orderId })).toBe(1);

    await expect(replicas[0].authorize({ ...req, token: 'tok_mastercard' })).rejects.toBeInstanceOf(PaymentInProgressError);
    await expect(replicas[1].authorize({ ...req, amountCents: 3000 })).rejects.toBeInstanceOf(PaymentInProgressError);
    await expect(replicas[1].createIntent({ orderId: req.orderId, attempt: 0, amountCents: 2000, idempotencyKey: req.idempotencyKey })).rejects.toBeInstanceOf(
      PaymentInProgressError,
    );
  });

  it('failNextCalls: the next calls fail like an outage and act on nothing', async () => {
    const sandbox = new SandboxGateway();
    sandbox.failNextCalls(1);
    const req = authorization('tok_visa');
    await expect(sandbox.authorize(req)).rejects.toBeInstanceOf(GatewayUnavailableError);
    expect(await SandboxIntent.countDocuments({})).toBe(0);
    expect((await sandbox.authorize(req)).status).toBe('requires_capture');
  });

  it('SANDBOX_PROCESSOR_DELAY_MS: the intent is stored first, the answer comes after the delay', async () => {
    const sandbox = new SandboxGateway({ delayMs: 1_500 });
    const req = authorization('tok_visa');
    let answered = false;
    const answer = sandbox.authorize(req).then((r) => ((answered = true), r));
    await eventually(() => SandboxIntent.exists({ idempotencyKey: req.idempotencyKey }));
    expect(answered).toBe(false); // acted and stored, not answered yet: a kill now loses only the answer
    expect((await answer).status).toBe('requires_capture');
  });
});

describe('offline sandbox gateway: capture, cancel, refund', () => {
  const held = async (sandbox: SandboxGateway) => sandbox.authorize(authorization('tok_visa'));

  it('capture takes the held amount once; a captured intent cannot be canceled', async () => {
    const sandbox = new SandboxGateway();
    const intent = await held(sandbox);
    const captured = await sandbox.capture(intent.id, `capture:${intent.id}`);
    expect(captured).toMatchObject({ status: 'succeeded', amountCapturedCents: 2000 });
    expect(await sandbox.capture(intent.id, `capture:${intent.id}`)).toEqual(captured);
    const refused = sandbox.cancel(intent.id, `cancel:${intent.id}`);
    await expect(refused).rejects.toBeInstanceOf(IntentStateError);
    await expect(refused).rejects.toMatchObject({ intentStatus: 'succeeded' });
  });

  it('cancel releases the hold (twice is the same); a canceled intent cannot be captured', async () => {
    const sandbox = new SandboxGateway();
    const intent = await held(sandbox);
    expect((await sandbox.cancel(intent.id, `cancel:${intent.id}`)).status).toBe('canceled');
    expect((await sandbox.cancel(intent.id, `cancel:${intent.id}`)).status).toBe('canceled');
    await expect(sandbox.capture(intent.id, `capture:${intent.id}`)).rejects.toMatchObject({
      name: 'IntentStateError',
      intentStatus: 'canceled',
      message: 'This PaymentIntent could not be captured because it has a status of canceled.',
    });
  });

  it('refund gives back captured money once per key, never more than was taken, never for an uncaptured intent', async () => {
    const sandbox = new SandboxGateway();
    const intent = await held(sandbox);
    await expect(sandbox.refund(intent.id, 2000, `refund:${intent.id}`)).rejects.toBeInstanceOf(IntentStateError);
    await sandbox.capture(intent.id, `capture:${intent.id}`);
    const refunds = await Promise.all([1, 2, 3].map(() => sandbox.refund(intent.id, 2000, `refund:${intent.id}`)));
    expect(new Set(refunds.map((r) => r.id)).size).toBe(1);
    expect(refunds[0]).toEqual({ id: expect.stringMatching(/^re_sandbox_/), status: 'succeeded', amountCents: 2000 });
    await expect(sandbox.refund(intent.id, 2000, 'another-key')).rejects.toBeInstanceOf(IntentStateError);
    expect(await sandbox.retrieve(intent.id)).toMatchObject({ amountCapturedCents: 2000, amountRefundedCents: 2000 });
  });

  it('retrieve of an unknown intent is refused like Stripe (resource missing)', async () => {
    await expect(new SandboxGateway().retrieve('pi_nope')).rejects.toBeInstanceOf(InvalidPaymentTokenError);
  });
});

describe('gateway selection', () => {
  const base = testSessionEnv();

  it('uses the sandbox without STRIPE_KEY and Stripe with it', () => {
    const sandbox = createGateway(paymentsConfigSchema({}).parse({ ...base, STRIPE_KEY: '' }), testLogger());
    expect(sandbox).toBeInstanceOf(SandboxGateway);
    const stripe = createGateway(paymentsConfigSchema({}).parse({ ...base, STRIPE_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_x' }), testLogger());
    expect(stripe).toBeInstanceOf(StripeGateway);
  });

  it('refuses a token that is neither tok_… nor pm_… before calling Stripe', async () => {
    const stripe = createGateway(
      paymentsConfigSchema({}).parse({ ...base, STRIPE_KEY: 'sk_test_123', STRIPE_WEBHOOK_SECRET: 'whsec_x', STRIPE_API_PORT: '9' }),
      testLogger(),
    );
    await expect(stripe.authorize(authorization('4242424242424242'))).rejects.toBeInstanceOf(InvalidPaymentTokenError);
  });
});
