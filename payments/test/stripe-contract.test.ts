import { randomObjectId, testSessionEnv } from '@ticketing/common/testing';
import Stripe from 'stripe';
import { paymentsConfigSchema } from '../src/config';
import { CardDeclinedError, createGateway, createStripeClient, StripeGateway } from '../src/gateway';
import { createConfirmedPaymentIntent, paymentIntentParams } from '../src/gateway/stripe-gateway';
import { testLogger } from './helpers/environment';
import { startStripeMock, type StripeMock } from './helpers/stripe-mock';

/**
 * Contract: the requests our Stripe gateway sends are accepted by Stripe's own API schema,
 * as enforced by the official stripe-mock (which rejects unknown or malformed parameters).
 */
let mock: StripeMock;
let stripe: Stripe;
const requests: Stripe.RequestEvent[] = [];
const responses: Stripe.ResponseEvent[] = [];

beforeAll(async () => {
  mock = await startStripeMock();
  stripe = createStripeClient({ apiKey: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc', host: mock.host, port: mock.port, protocol: mock.protocol });
  stripe.on('request', (e: Stripe.RequestEvent) => requests.push(e));
  stripe.on('response', (e: Stripe.ResponseEvent) => responses.push(e));
});
afterAll(async () => {
  await mock?.stop();
});
beforeEach(() => {
  requests.length = 0;
  responses.length = 0;
});

const charge = (token: string) => {
  const orderId = randomObjectId();
  return { orderId, amountCents: 1999, token, idempotencyKey: `pi:${orderId}:0` };
};

describe('Stripe gateway against stripe-mock', () => {
  it('tok_visa: a PaymentMethod from the token, then a confirmed PaymentIntent, both accepted with idempotency keys', async () => {
    const req = charge('tok_visa');
    const intent = await createConfirmedPaymentIntent(stripe, req);

    expect(intent.object).toBe('payment_intent');
    expect(intent.id).toMatch(/^pi_/);
    expect(responses.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/v1/payment_methods', 200],
      ['POST', '/v1/payment_intents', 200],
    ]);
    expect(requests.map((r) => r.idempotency_key)).toEqual([`${req.idempotencyKey}:pm`, req.idempotencyKey]);
  });

  it('pm_card_visa: one confirmed PaymentIntent, accepted with the idempotency key', async () => {
    const req = charge('pm_card_visa');
    const intent = await createConfirmedPaymentIntent(stripe, req);

    expect(intent.id).toMatch(/^pi_/);
    expect(responses.map((r) => [r.method, r.path, r.status])).toEqual([['POST', '/v1/payment_intents', 200]]);
    expect(requests[0].idempotency_key).toBe(req.idempotencyKey);
    expect(paymentIntentParams(req, 'pm_card_visa')).toMatchObject({
      amount: 1999,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_visa',
      allowed_payment_method_types: ['card'],
      metadata: { orderId: req.orderId },
    });
  });

  it('the gateway never reports success for a PaymentIntent that did not succeed', async () => {
    // stripe-mock answers with a canned PaymentIntent whose status is not "succeeded".
    const gateway = new StripeGateway(stripe);
    await expect(gateway.charge(charge('pm_card_visa'))).rejects.toBeInstanceOf(CardDeclinedError);
    expect(responses.map((r) => r.status)).toEqual([200]);
  });

  it('with STRIPE_KEY and STRIPE_API_* set, the selected gateway talks to that Stripe API', async () => {
    const config = paymentsConfigSchema({}).parse({
      ...testSessionEnv(),
      STRIPE_KEY: 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',
      STRIPE_API_HOST: mock.host,
      STRIPE_API_PORT: String(mock.port),
      STRIPE_API_PROTOCOL: 'http',
    });
    const gateway = createGateway(config, testLogger());
    expect(gateway).toBeInstanceOf(StripeGateway);
    const seen: number[] = [];
    (gateway as StripeGateway).stripe.on('response', (e: Stripe.ResponseEvent) => seen.push(e.status));
    await expect(gateway.charge(charge('tok_visa'))).rejects.toBeInstanceOf(CardDeclinedError); // canned status
    expect(seen).toEqual([200, 200]);
  });

  it('stripe-mock really enforces the schema (so the tests above would catch a bad request)', async () => {
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
  });
});
