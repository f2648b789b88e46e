import { freePort } from '@ticketing/dev-servers';
import Stripe from 'stripe';
import {
  CardDeclinedError,
  createStripeClient,
  GatewayUnavailableError,
  IntentStateError,
  InvalidPaymentTokenError,
  PaymentInProgressError,
  StripeGateway,
} from '../src/gateway';
import { translateStripeError } from '../src/gateway/stripe-errors';
import { toIntentState } from '../src/gateway/stripe-intent-state';
import { startStripeMock, type StripeMock } from './helpers/stripe-mock';
import { startStripeProxy, type StripeProxy } from './helpers/stripe-proxy';

/**
 * The Stripe gateway's reading of Stripe's answers: error translation with the SDK's own
 * error objects, IntentState from real intent shapes, and the answers stripe-mock cannot give
 * (declines, 3-D Secure, already captured or canceled intents, conflicts, outages), scripted
 * on a loopback proxy in front of stripe-mock: the SDK parses real HTTP responses.
 */
let mock: StripeMock;
let proxy: StripeProxy;
let gateway: StripeGateway;
/** stripe-mock's fixture PaymentIntent, as Stripe's API would send it. */
let fixtureIntent: Stripe.PaymentIntent;

beforeAll(async () => {
  mock = await startStripeMock();
  proxy = await startStripeProxy(mock);
  gateway = new StripeGateway(createStripeClient({ apiKey: 'sk_test_123', ...proxy }));
  const raw = createStripeClient({ apiKey: 'sk_test_123', ...mock });
  fixtureIntent = JSON.parse(JSON.stringify(await raw.paymentIntents.retrieve('pi_fixture')));
});
afterAll(async () => {
  await proxy?.stop();
  await mock?.stop();
});
beforeEach(() => {
  proxy.reset();
});

/** A PaymentIntent body as Stripe sends it: the fixture with the fields a scenario sets. */
const intent = (fields: Partial<Stripe.PaymentIntent>): Stripe.PaymentIntent => ({
  ...fixtureIntent,
  id: 'pi_3Scripted',
  amount: 1999,
  amount_received: 0,
  capture_method: 'manual',
  last_payment_error: null,
  metadata: { orderId: '65a1b2c3d4e5f60718293a4b', attempt: '1' },
  ...fields,
});

const stripeError = (status: number, error: Record<string, unknown>) => ({ status, body: { error } });
const authorizeRequest = (token: string) => ({
  orderId: '65a1b2c3d4e5f60718293a4b',
  attempt: 1,
  amountCents: 1999,
  token,
  idempotencyKey: 'pi:65a1b2c3d4e5f60718293a4b:1',
});

describe('translateStripeError with the SDK error objects', () => {
  const generate = (raw: Record<string, unknown>) => Stripe.errors.StripeError.generate(raw);
  const declined = generate({ statusCode: 402, type: 'card_error', code: 'card_declined', message: 'Your card was declined.' });

  it('a card error is a decline with Stripe’s message, whatever the call', () => {
    for (const call of ['buyer', 'intent'] as const) {
      const err = translateStripeError(declined, call);
      expect(err).toBeInstanceOf(CardDeclinedError);
      expect((err as Error).message).toBe('Your card was declined.');
    }
  });

  it('a key reused with other parameters (400) or in use (409) is a payment in progress', () => {
    const reused = generate({ statusCode: 400, type: 'idempotency_error', message: 'Keys for idempotent requests can only be used with the same parameters' });
    const inUse = generate({ statusCode: 409, type: 'invalid_request_error', code: 'idempotency_key_in_use', message: 'in use' });
    expect(reused).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(inUse).toBeInstanceOf(Stripe.errors.StripeAPIError); // the SDK has no class for a 409
    expect(translateStripeError(reused, 'buyer')).toBeInstanceOf(PaymentInProgressError);
    expect(translateStripeError(inUse, 'intent')).toBeInstanceOf(PaymentInProgressError);
  });

  it('a refused token, payment method or amount is the buyer’s invalid token when creating an intent', () => {
    const refusals = [
      { code: 'token_already_used', message: 'You cannot use a Stripe token more than once: tok_visa.' },
      { code: 'resource_missing', param: 'payment_method', message: "No such PaymentMethod: 'pm_nope'" },
      { code: 'resource_missing', message: "No such token: 'tok_nope'" },
      { code: 'amount_too_small', param: 'amount', message: 'Amount must be at least $0.50 usd' },
      { code: 'parameter_invalid_empty', param: 'card[token]', message: 'You passed an empty string for card[token].' },
    ];
    for (const refusal of refusals) {
      const err = translateStripeError(generate({ statusCode: 400, type: 'invalid_request_error', ...refusal }), 'buyer');
      expect(err).toBeInstanceOf(InvalidPaymentTokenError);
      expect((err as Error).message).toBe(refusal.message);
    }
  });

  it('on an intent we hold, a refused request is not the buyer’s fault: it stays as is (a 500)', () => {
    const missing = generate({ statusCode: 404, type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: "No such payment_intent: 'pi_x'" });
    const used = generate({ statusCode: 400, type: 'invalid_request_error', code: 'token_already_used', message: 'used' });
    expect(translateStripeError(missing, 'intent')).toBe(missing);
    expect(translateStripeError(used, 'intent')).toBe(used);
  });

  it('payment_intent_unexpected_state is an IntentStateError naming the intent’s status', () => {
    const err = translateStripeError(
      generate({
        statusCode: 400,
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: 'This PaymentIntent could not be captured because it has a status of canceled.',
        payment_intent: { id: 'pi_1', object: 'payment_intent', status: 'canceled' },
      }),
      'intent',
    );
    expect(err).toBeInstanceOf(IntentStateError);
    expect(err).toMatchObject({ intentStatus: 'canceled', message: 'This PaymentIntent could not be captured because it has a status of canceled.' });
    const withoutIntent = translateStripeError(generate({ statusCode: 400, type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: 'm' }), 'intent');
    expect(withoutIntent).toMatchObject({ intentStatus: 'unknown' });
  });

  it('an unreachable, failing or rate-limiting Stripe is "unavailable"', () => {
    const outages = [
      new Stripe.errors.StripeConnectionError({ message: 'An error occurred with our connection to Stripe.' }),
      generate({ statusCode: 500, type: 'api_error', message: 'Something went wrong on Stripe’s end.' }),
      generate({ statusCode: 429, type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' }),
      generate({ statusCode: 429, type: 'invalid_request_error', code: 'lock_timeout', message: 'locked' }),
    ];
    for (const outage of outages) expect(translateStripeError(outage, 'buyer')).toBeInstanceOf(GatewayUnavailableError);
  });

  it('our configuration or our bug stays as is (a 500 with a request id)', () => {
    const badKey = generate({ statusCode: 401, type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_***' });
    const forbidden = generate({ statusCode: 403, type: 'invalid_request_error', message: 'forbidden' });
    const unknownParam = generate({ statusCode: 400, type: 'invalid_request_error', code: 'parameter_unknown', param: 'bogus', message: 'Received unknown parameter: bogus' });
    const notStripe = new TypeError('x is undefined');
    for (const err of [badKey, forbidden, unknownParam, notStripe]) expect(translateStripeError(err, 'buyer')).toBe(err);
  });
});

describe('IntentState from a Stripe PaymentIntent', () => {
  it('reads an authorised intent: amounts, refunds from the expanded charge, metadata, mode, secret, last error', () => {
    const charge = { id: 'ch_1', object: 'charge', amount: 1999, amount_refunded: 500 } as Stripe.Charge;
    const state = toIntentState(
      intent({
        status: 'succeeded',
        amount_received: 1999,
        latest_charge: charge,
        livemode: true,
        client_secret: 'pi_3Scripted_secret_abc',
        last_payment_error: { type: 'card_error', message: 'Your card was declined.' },
        metadata: { orderId: '65a1b2c3d4e5f60718293a4b', attempt: '1', other: 'ignored' },
      }),
    );
    expect(state).toEqual({
      id: 'pi_3Scripted',
      status: 'succeeded',
      amountCents: 1999,
      amountCapturedCents: 1999,
      amountRefundedCents: 500,
      currency: 'usd',
      livemode: true,
      metadata: { orderId: '65a1b2c3d4e5f60718293a4b', attempt: '1' },
      clientSecret: 'pi_3Scripted_secret_abc',
      lastError: 'Your card was declined.',
    });
  });

  it('an unexpanded charge says nothing about refunds (0); no secret, no error, no metadata are left out', () => {
    const state = toIntentState(intent({ status: 'requires_capture', latest_charge: 'ch_1', client_secret: null, metadata: {} }));
    expect(state).toEqual({
      id: 'pi_3Scripted',
      status: 'requires_capture',
      amountCents: 1999,
      amountCapturedCents: 0,
      amountRefundedCents: 0,
      currency: 'usd',
      livemode: false,
      metadata: {},
    });
  });

  it('refuses a status it does not know rather than guessing what it means for the money', () => {
    expect(() => toIntentState(intent({ status: 'requires_source' }))).toThrow(/unknown status "requires_source"/);
  });
});

describe('StripeGateway on Stripe answers that stripe-mock cannot give', () => {
  const answer = (method: string, path: string, { status, body }: { status: number; body: unknown }, headers?: Record<string, string>) =>
    proxy.answer({ method, path, status, body, headers });
  const seen = () => proxy.seen.map((r) => `${r.method} ${r.path} ${r.status}`);

  it('authorize: a decline is a CardDeclinedError with Stripe’s message', async () => {
    answer('POST', '/v1/payment_intents', stripeError(402, {
      type: 'card_error',
      code: 'card_declined',
      decline_code: 'generic_decline',
      message: 'Your card was declined.',
      payment_intent: intent({ status: 'requires_payment_method' }),
    }));
    const outcome = gateway.authorize(authorizeRequest('pm_card_chargeDeclined'));
    await expect(outcome).rejects.toBeInstanceOf(CardDeclinedError);
    await expect(outcome).rejects.toThrow('Your card was declined.');
  });

  it('authorize: a card needing 3-D Secure comes back requires_action with the client secret for Stripe.js', async () => {
    answer('POST', '/v1/payment_intents', {
      status: 200,
      body: intent({ status: 'requires_action', client_secret: 'pi_3Scripted_secret_3ds', next_action: { type: 'use_stripe_sdk', use_stripe_sdk: {} } }),
    });
    const state = await gateway.authorize(authorizeRequest('pm_card_threeDSecure2Required'));
    expect(state).toMatchObject({ status: 'requires_action', clientSecret: 'pi_3Scripted_secret_3ds', amountCapturedCents: 0 });
  });

  it('authorize: an authorised (requires_capture) or processing intent is returned as it is, not as a decline', async () => {
    for (const status of ['requires_capture', 'processing'] as const) {
      answer('POST', '/v1/payment_intents', { status: 200, body: intent({ status }) });
      expect(await gateway.authorize(authorizeRequest('pm_card_visa'))).toMatchObject({ id: 'pi_3Scripted', status, amountCapturedCents: 0 });
    }
  });

  it('authorize: an already used token is an invalid token, and no intent is created', async () => {
    answer('POST', '/v1/payment_methods', stripeError(400, {
      type: 'invalid_request_error',
      code: 'token_already_used',
      message: 'You cannot use a Stripe token more than once: tok_visa.',
    }));
    await expect(gateway.authorize(authorizeRequest('tok_visa'))).rejects.toBeInstanceOf(InvalidPaymentTokenError);
    expect(seen()).toEqual(['POST /v1/payment_methods 400']);
  });

  it('authorize: a token that is neither tok_… nor pm_… is refused before calling Stripe', async () => {
    await expect(gateway.authorize(authorizeRequest('4242424242424242'))).rejects.toBeInstanceOf(InvalidPaymentTokenError);
    expect(seen()).toEqual([]);
  });

  it('capture: an intent already captured (the key forgotten, another replica) is returned as it is', async () => {
    const captured = intent({ status: 'succeeded', amount_received: 1999 });
    answer('POST', '/v1/payment_intents/pi_3Scripted/capture', stripeError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: 'This PaymentIntent could not be captured because it has a status of succeeded.',
      payment_intent: captured,
    }));
    answer('GET', '/v1/payment_intents/pi_3Scripted', { status: 200, body: captured });
    const state = await gateway.capture('pi_3Scripted', 'capture:pi_3Scripted');
    expect(state).toMatchObject({ id: 'pi_3Scripted', status: 'succeeded', amountCapturedCents: 1999 });
    expect(seen()).toEqual(['POST /v1/payment_intents/pi_3Scripted/capture 400', 'GET /v1/payment_intents/pi_3Scripted 200']);
  });

  it('capture: a canceled intent is an IntentStateError saying so', async () => {
    const canceled = intent({ status: 'canceled' });
    answer('POST', '/v1/payment_intents/pi_3Scripted/capture', stripeError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: 'This PaymentIntent could not be captured because it has a status of canceled.',
      payment_intent: canceled,
    }));
    answer('GET', '/v1/payment_intents/pi_3Scripted', { status: 200, body: canceled });
    const outcome = gateway.capture('pi_3Scripted', 'capture:pi_3Scripted');
    await expect(outcome).rejects.toBeInstanceOf(IntentStateError);
    await expect(outcome).rejects.toMatchObject({ intentStatus: 'canceled', message: expect.stringMatching(/status of canceled/) });
  });

  it('cancel: an intent already canceled is returned as it is; a captured one is an IntentStateError', async () => {
    const unexpected = (status: Stripe.PaymentIntent.Status) =>
      stripeError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `You cannot cancel this PaymentIntent because it has a status of ${status}.`,
        payment_intent: intent({ status }),
      });
    answer('POST', '/v1/payment_intents/pi_3Scripted/cancel', unexpected('canceled'));
    answer('GET', '/v1/payment_intents/pi_3Scripted', { status: 200, body: intent({ status: 'canceled' }) });
    expect(await gateway.cancel('pi_3Scripted', 'cancel:pi_3Scripted')).toMatchObject({ status: 'canceled' });

    answer('POST', '/v1/payment_intents/pi_3Scripted/cancel', unexpected('succeeded'));
    answer('GET', '/v1/payment_intents/pi_3Scripted', { status: 200, body: intent({ status: 'succeeded', amount_received: 1999 }) });
    await expect(gateway.cancel('pi_3Scripted', 'cancel:pi_3Scripted')).rejects.toMatchObject({ name: 'IntentStateError', intentStatus: 'succeeded' });
  });

  it('refund: an intent without captured money is an IntentStateError with its status', async () => {
    answer('POST', '/v1/refunds', stripeError(400, {
      type: 'invalid_request_error',
      message: 'This PaymentIntent does not have a successful charge to refund.',
    }));
    answer('GET', '/v1/payment_intents/pi_3Scripted', { status: 200, body: intent({ status: 'requires_capture' }) });
    await expect(gateway.refund('pi_3Scripted', 1999, 'refund:pi_3Scripted')).rejects.toMatchObject({
      name: 'IntentStateError',
      intentStatus: 'requires_capture',
    });
  });

  it('capture of an intent Stripe does not know stays an error of ours (a 500), not an intent state', async () => {
    answer('POST', '/v1/payment_intents/pi_3Scripted/capture', stripeError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param: 'intent',
      message: "No such payment_intent: 'pi_3Scripted'",
    }));
    await expect(gateway.capture('pi_3Scripted', 'capture:pi_3Scripted')).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
  });

  it('a key in use (409) is retried with the same key and rides out the concurrent request', async () => {
    answer('POST', '/v1/payment_intents/pi_3Scripted/capture', stripeError(409, {
      type: 'invalid_request_error',
      code: 'idempotency_key_in_use',
      message: 'There is currently another in-progress request using this Idempotent Key.',
    }));
    const state = await gateway.capture('pi_3Scripted', 'capture:pi_3Scripted');
    expect(state.id).toBe('pi_3Scripted');
    expect(proxy.seen.map((r) => [r.path, r.idempotencyKey, r.status])).toEqual([
      ['/v1/payment_intents/pi_3Scripted/capture', 'capture:pi_3Scripted', 409],
      ['/v1/payment_intents/pi_3Scripted/capture', 'capture:pi_3Scripted', 200],
    ]);
  });

  it('a key still in use after every retry is a PaymentInProgressError', async () => {
    const inUse = stripeError(409, { type: 'invalid_request_error', code: 'idempotency_key_in_use', message: 'in use' });
    for (let i = 0; i < 4; i++) answer('POST', '/v1/payment_intents', inUse);
    await expect(gateway.authorize(authorizeRequest('pm_card_visa'))).rejects.toBeInstanceOf(PaymentInProgressError);
    expect(seen()).toEqual(Array(4).fill('POST /v1/payment_intents 409')); // the first try and 3 retries
  });

  it('Stripe failing (500, not to be retried) or unreachable is GatewayUnavailableError', async () => {
    answer('POST', '/v1/refunds', stripeError(500, { type: 'api_error', message: 'An unknown error occurred' }), { 'stripe-should-retry': 'false' });
    await expect(gateway.refund('pi_3Scripted', 1999, 'refund:pi_3Scripted')).rejects.toBeInstanceOf(GatewayUnavailableError);

    const unreachable = new StripeGateway(createStripeClient({ apiKey: 'sk_test_123', host: '127.0.0.1', port: await freePort(), protocol: 'http' }));
    await expect(unreachable.retrieve('pi_3Scripted')).rejects.toBeInstanceOf(GatewayUnavailableError);
  });
});
