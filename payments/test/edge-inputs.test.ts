import { idSpellings, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import Stripe from 'stripe';
import request from 'supertest';
import { CURRENCY } from '../src/gateway';
import { Payment } from '../src/models';
import { givenOrder, outboxDrained, paymentEventsFor, paymentsTestOptions, TEST_WEBHOOK_SECRET, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
const http = useTestServer(env, { decisionWaitMs: 0 });
const authorized = { get requests() { return gateway.authorizations(); } };

/** Every way an order id enters payments, every spelling: the same order or a 4xx; never a second payment, never a 500. */
describe('order id spellings', () => {
  it('POST /api/payments {orderId}: case variants pay the one order once; anything else is a 400', async () => {
    const userId = randomObjectId();
    const order = await givenOrder({ userId });
    const statuses: number[] = [];
    for (const s of idSpellings(order.id)) {
      const res = await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId: s.value, token: 'tok_visa' });
      if (s.sameEntity) statuses.push(res.status);
      else expect([s.label, res.status]).toEqual([s.label, 400]);
    }
    expect(statuses.filter((s) => s === 202)).toHaveLength(1); // authorised; the order decides
    expect(statuses.filter((s) => s !== 202).every((s) => s === 400)).toBe(true);
    // One charge, keyed (idempotency) and recorded under the canonical id.
    expect(authorized.requests.map((r) => [r.orderId, r.idempotencyKey])).toEqual([[order.id, `pi:${order.id}:0`]]);
    expect(await Payment.countDocuments()).toBe(1);
    await outboxDrained();
    expect((await paymentEventsFor(env, order.id)).map((e) => e.data.orderId)).toEqual([order.id]);
  });

  it('the webhook’s metadata.orderId in another case is the same order (one payment, canonical event)', async () => {
    const order = await givenOrder();
    const idempotencyKey = `pi:${order.id}:0`;
    // A request died after the processor authorised: only the webhook knows the intent.
    const intent = await gateway.inner.authorize({ orderId: order.id, attempt: 0, amountCents: 2000, token: 'tok_visa', idempotencyKey });
    await Payment.create({ orderId: order.id, attempt: 0, idempotencyKey, amountCents: 2000, currency: CURRENCY, token: 'tok_visa', status: 'pending' });
    for (const orderId of [order.id.toUpperCase(), order.id]) {
      const payload = JSON.stringify({
        id: `evt_${randomObjectId()}`,
        object: 'event',
        type: 'payment_intent.amount_capturable_updated',
        livemode: false,
        data: { object: { id: intent.id, object: 'payment_intent', amount: 2000, currency: 'usd', livemode: false, status: 'requires_capture', metadata: { orderId, attempt: '0' } } },
      });
      await request(http.server)
        .post('/api/payments/webhook')
        .set('Content-Type', 'application/json')
        .set('Stripe-Signature', Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET }))
        .send(payload)
        .expect(200);
    }
    const payments = await Payment.find({ orderId: order.id }).lean();
    expect(payments.map((p) => [p.stripeId, p.status])).toEqual([[intent.id, 'authorized']]);
    await outboxDrained();
    const events = await paymentEventsFor(env, order.id);
    expect(events.map((e) => [e.msgId, e.data.orderId])).toEqual([[`payment.created:${payments[0]._id.toHexString()}:0`, order.id]]);
  });
});

describe('the card token', () => {
  it.each([
    ['padded with spaces', ' tok_visa '],
    ['an emoji', 'tok_😀'],
    ['a lone surrogate', 'tok_\ud800'],
    ['NUL', 'tok_visa\u0000'],
    ['a prototype key', 'constructor'],
    ['another prefix', 'card_visa'],
    ['too long', `tok_${'x'.repeat(251)}`],
  ])('400 on `token` for a token %s, and nothing is charged', async (_case, token) => {
    const userId = randomObjectId();
    const order = await givenOrder({ userId });
    const before = authorized.requests.length;
    const res = await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId: order.id, token });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'token', message: expect.any(String) }]);
    expect(authorized.requests.length).toBe(before);
  });
});

describe('chargeable bounds', () => {
  it.each([0.01, 0.49, 1_000_000])('an order priced %d (a ticket from before the bounds) is a 400, and nothing is charged', async (price) => {
    const userId = randomObjectId();
    const order = await givenOrder({ userId, price });
    const before = authorized.requests.length;
    const res = await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId: order.id, token: 'tok_visa' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Price must be from 0.50 to 999999.99 (what a card can be charged)');
    expect(authorized.requests.length).toBe(before);
    expect(await Payment.countDocuments({ orderId: order.id })).toBe(0);
  });
});
