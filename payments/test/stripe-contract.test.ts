import { randomObjectId, testSessionEnv } from '@ticketing/dev-servers';
import Stripe from 'stripe';
import { paymentsConfigSchema } from '../src/config';
import { createGateway, createStripeClient, StripeGateway } from '../src/gateway';
import { testLogger } from './helpers/environment';
import { startStripeMock, type StripeMock } from './helpers/stripe-mock';
import { startStripeProxy, type StripeProxy } from './helpers/stripe-proxy';

/**
 * Contract: every call of the Stripe gateway sends requests that Stripe's own API schema
 * accepts, as enforced by the official stripe-mock (it rejects unknown or malformed
 * parameters), and the gateway reads stripe-mock's answers (Stripe's fixtures) into the
 * IntentState / RefundResult the service uses. A recording proxy shows the exact bodies sent.
 */
let mock: StripeMock;
let proxy: StripeProxy;
let gateway: StripeGateway;

beforeAll(async () => {
  mock = await startStripeMock();
  proxy = await startStripeProxy(mock);
  gateway = new StripeGateway(createStripeClient({ apiKey: 'sk_test_123', ...proxy }));
});
afterAll(async () => {
  await proxy?.stop();
  await mock?.stop();
});
beforeEach(() => {
  proxy.reset();
});

const authorizeRequest = (token: string) => {
  const orderId = randomObjectId();
  return { orderId, attempt: 2, amountCents: 1999, token, idempotencyKey: `pi:${orderId}:2` };
};

/** Every request reached stripe-mock (nothing scripted) and was accepted by it. */
const allAccepted = () => expect(proxy.seen.map((r) => [r.method, r.path, r.scripted, r.status])).toEqual(
  proxy.seen.map((r) => [r.method, r.path, false, 200]),
);

/** stripe-mock's fixture PaymentIntent (amount reflected from the request) read as IntentState. */
const fixtureIntentState = (response: Stripe.PaymentIntent, amountCents: number) => ({
  id: response.id,
  // stripe-mock's fixture: always this status, no metadata reflected, test mode.
  status: 'requires_payment_method',
  amountCents,
  amountCapturedCents: 0,
  amountRefundedCents: 0,
  currency: 'usd',
  livemode: false,
  metadata: {},
  clientSecret: response.client_secret,
});

describe('Stripe gateway calls accepted by stripe-mock', () => {
  it('authorize with tok_visa: a PaymentMethod from the token, then a confirmed manual-capture intent, card-only, 3-D Secure left to Stripe.js', async () => {
    const req = authorizeRequest('tok_visa');
    const state = await gateway.authorize(req);

    allAccepted();
    const [pm, pi] = proxy.seen;
    expect([pm.method, pm.path, pm.idempotencyKey, pm.params]).toEqual([
      'POST',
      '/v1/payment_methods',
      `${req.idempotencyKey}:pm`,
      { type: 'card', 'card[token]': 'tok_visa' },
    ]);
    expect([pi.method, pi.path, pi.idempotencyKey, pi.params]).toEqual([
      'POST',
      '/v1/payment_intents',
      req.idempotencyKey,
      {
        amount: '1999',
        currency: 'usd',
        payment_method: (pm.response as Stripe.PaymentMethod).id,
        confirm: 'true',
        capture_method: 'manual',
        'allowed_payment_method_types[0]': 'card',
        use_stripe_sdk: 'true',
        description: `Ticketing order ${req.orderId}`,
        'metadata[orderId]': req.orderId,
        'metadata[attempt]': '2',
      },
    ]);
    expect(pi.params).not.toHaveProperty('error_on_requires_action');
    expect(state).toEqual(fixtureIntentState(pi.response as Stripe.PaymentIntent, 1999));
  });

  it('authorize with pm_card_visa: one confirmed intent with the PaymentMethod as it is', async () => {
    const req = authorizeRequest('pm_card_visa');
    const state = await gateway.authorize(req);

    allAccepted();
    expect(proxy.seen.map((r) => [r.path, r.idempotencyKey, r.params.payment_method])).toEqual([
      ['/v1/payment_intents', req.idempotencyKey, 'pm_card_visa'],
    ]);
    expect(state).toEqual(fixtureIntentState(proxy.seen[0].response as Stripe.PaymentIntent, 1999));
  });

  it('createIntent: an unconfirmed manual-capture card intent for the Payment Element, with its client secret', async () => {
    const orderId = randomObjectId();
    const state = await gateway.createIntent({ orderId, attempt: 0, amountCents: 2500, idempotencyKey: `pi:${orderId}:0` });

    allAccepted();
    expect(proxy.seen.map((r) => [r.method, r.path, r.idempotencyKey, r.params])).toEqual([
      [
        'POST',
        '/v1/payment_intents',
        `pi:${orderId}:0`,
        {
          amount: '2500',
          currency: 'usd',
          capture_method: 'manual',
          'allowed_payment_method_types[0]': 'card',
          description: `Ticketing order ${orderId}`,
          'metadata[orderId]': orderId,
          'metadata[attempt]': '0',
        },
      ],
    ]);
    expect(state).toEqual(fixtureIntentState(proxy.seen[0].response as Stripe.PaymentIntent, 2500));
    expect(state.clientSecret).toMatch(/^pi_\w+_secret_\w+$/);
  });

  it('retrieve: the intent with its latest charge expanded, whose refunded amount is read', async () => {
    const state = await gateway.retrieve('pi_123');

    allAccepted();
    expect(proxy.seen.map((r) => [r.method, r.path, r.params])).toEqual([
      ['GET', '/v1/payment_intents/pi_123', { 'expand[0]': 'latest_charge' }],
    ]);
    const response = proxy.seen[0].response as Stripe.PaymentIntent;
    const charge = response.latest_charge as Stripe.Charge;
    expect(charge.object).toBe('charge'); // expanded, not an id
    expect(state).toEqual({ ...fixtureIntentState(response, response.amount), amountRefundedCents: charge.amount_refunded });
  });

  it('capture: POST …/capture with no parameters and the idempotency key', async () => {
    const state = await gateway.capture('pi_123', 'capture:pi_123');

    allAccepted();
    expect(proxy.seen.map((r) => [r.method, r.path, r.idempotencyKey, r.params])).toEqual([
      ['POST', '/v1/payment_intents/pi_123/capture', 'capture:pi_123', {}],
    ]);
    const response = proxy.seen[0].response as Stripe.PaymentIntent;
    expect(state).toEqual(fixtureIntentState(response, response.amount));
  });

  it('cancel: POST …/cancel with no parameters and the idempotency key', async () => {
    const state = await gateway.cancel('pi_123', 'cancel:pi_123');

    allAccepted();
    expect(proxy.seen.map((r) => [r.method, r.path, r.idempotencyKey, r.params])).toEqual([
      ['POST', '/v1/payment_intents/pi_123/cancel', 'cancel:pi_123', {}],
    ]);
    const response = proxy.seen[0].response as Stripe.PaymentIntent;
    expect(state).toEqual(fixtureIntentState(response, response.amount));
  });

  it('refund: POST /v1/refunds for the intent and amount with the idempotency key', async () => {
    const refund = await gateway.refund('pi_123', 1999, 'refund:pi_123');

    allAccepted();
    expect(proxy.seen.map((r) => [r.method, r.path, r.idempotencyKey, r.params])).toEqual([
      ['POST', '/v1/refunds', 'refund:pi_123', { payment_intent: 'pi_123', amount: '1999' }],
    ]);
    const response = proxy.seen[0].response as Stripe.Refund;
    expect(refund).toEqual({ id: response.id, status: 'succeeded', amountCents: 1999 });
    expect(refund.id).toMatch(/^re_/);
  });

  it('the refunds of an intent (looked up when Stripe says it is already refunded) are listed in a shape stripe-mock accepts', async () => {
    proxy.answer({
      method: 'POST',
      path: '/v1/refunds',
      status: 400,
      body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge ch_1 has already been refunded.' } },
    });
    const refund = await gateway.refund('pi_123', 1999, 'refund:pi_123');

    expect(proxy.seen.map((r) => [r.method, r.path, r.scripted, r.status, r.params])).toEqual([
      ['POST', '/v1/refunds', true, 400, { payment_intent: 'pi_123', amount: '1999' }],
      ['GET', '/v1/refunds', false, 200, { payment_intent: 'pi_123', limit: '100' }],
    ]);
    const listed = (proxy.seen[1].response as Stripe.ApiList<Stripe.Refund>).data[0];
    expect(refund).toEqual({ id: listed.id, status: 'succeeded', amountCents: listed.amount });
  });

  it('with STRIPE_KEY and STRIPE_API_* set, the selected gateway talks to that Stripe API', async () => {
    const config = paymentsConfigSchema({}).parse({
      ...testSessionEnv(),
      STRIPE_KEY: 'sk_test_123',
      STRIPE_API_HOST: proxy.host,
      STRIPE_API_PORT: String(proxy.port),
      STRIPE_API_PROTOCOL: 'http',
    });
    const selected = createGateway(config, testLogger());
    expect(selected).toBeInstanceOf(StripeGateway);
    const state = await selected.authorize(authorizeRequest('tok_visa'));
    expect(state.id).toMatch(/^pi_/);
    allAccepted();
    expect(proxy.seen.map((r) => r.path)).toEqual(['/v1/payment_methods', '/v1/payment_intents']);
  });

  it('stripe-mock really enforces the schema (so the tests above would catch a bad request)', async () => {
    const stripe = createStripeClient({ apiKey: 'sk_test_123', ...mock });
    // The legacy shape for tokens is not part of Stripe's API schema: this is why tokens are
    // turned into PaymentMethods first.
    const legacy = stripe.paymentIntents.create({
      amount: 1999,
      currency: 'usd',
      confirm: true,
      payment_method_data: { type: 'card', card: { token: 'tok_visa' } },
    } as unknown as Stripe.PaymentIntentCreateParams);
    await expect(legacy).rejects.toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const unknownParam = stripe.paymentIntents.create({ amount: 1999, currency: 'usd', bogus: true } as unknown as Stripe.PaymentIntentCreateParams);
    await expect(unknownParam).rejects.toThrow(/Request validation error/);
    const badCapture = stripe.paymentIntents.capture('pi_123', { amount: 5 } as unknown as Stripe.PaymentIntentCaptureParams);
    await expect(badCapture).rejects.toThrow(/Request validation error/);
  });
});
