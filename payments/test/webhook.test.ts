import { OrderStatus } from '@ticketing/common';
import { randomObjectId, signin } from '@ticketing/common/testing';
import Stripe from 'stripe';
import request from 'supertest';
import { Order, Payment } from '../src/models';
import {
  givenOrder,
  outboxDrained,
  paymentEventsFor,
  TEST_WEBHOOK_SECRET,
  useTestEnvironment,
  useTestServer,
} from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';

const env = useTestEnvironment();
const http = useTestServer(() => new RecordingGateway());

/** A Stripe event as Stripe would send it (only the fields we read are meaningful). */
function stripeEvent(
  type: string,
  intent: { id: string; orderId?: string; status?: string; failure?: string; amount?: number; currency?: string },
): string {
  return JSON.stringify({
    id: `evt_${randomObjectId()}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type,
    data: {
      object: {
        id: intent.id,
        object: 'payment_intent',
        amount: intent.amount ?? 2000,
        currency: intent.currency ?? 'usd',
        status: intent.status ?? 'succeeded',
        metadata: intent.orderId ? { orderId: intent.orderId } : {},
        last_payment_error: intent.failure ? { message: intent.failure } : null,
      },
    },
  });
}

const sign = (payload: string, secret = TEST_WEBHOOK_SECRET) => Stripe.webhooks.generateTestHeaderString({ payload, secret });

const deliver = (payload: string, signature?: string) => {
  const req = request(http.server).post('/api/payments/webhook').set('Content-Type', 'application/json');
  return (signature === undefined ? req : req.set('Stripe-Signature', signature)).send(payload);
};

describe('POST /api/payments/webhook', () => {
  it('payment_intent.succeeded records an unrecorded payment once; an identical redelivery changes nothing', async () => {
    const orderId = (await givenOrder()).id;
    const payload = stripeEvent('payment_intent.succeeded', { id: 'pi_webhook_1', orderId });

    // No session cookie: Stripe has none.
    const res = await deliver(payload, sign(payload)).expect(200);
    expect(res.body).toEqual({ received: true });
    const payments = await Payment.find({ orderId }).lean();
    expect(payments).toHaveLength(1);
    expect(payments[0].stripeId).toBe('pi_webhook_1');
    await outboxDrained();
    expect((await paymentEventsFor(env, orderId)).map((e) => e.data)).toEqual([
      { id: String(payments[0]._id), orderId, stripeId: 'pi_webhook_1' },
    ]);

    const settled = await Payment.find({ orderId }).lean();
    await deliver(payload, sign(payload)).expect(200);
    expect(await Payment.find({ orderId }).lean()).toEqual(settled);
    await outboxDrained();
    expect(await paymentEventsFor(env, orderId)).toHaveLength(1);
  });

  it('a succeeded intent whose amount or currency is not what the order costs never marks it paid', async () => {
    const orderId = (await givenOrder({ price: 20 })).id;
    for (const [i, wrong] of [{ amount: 50 }, { amount: 2001 }, { currency: 'eur' }].entries()) {
      const payload = stripeEvent('payment_intent.succeeded', { id: `pi_wrong_${i}`, orderId, ...wrong });
      await deliver(payload, sign(payload)).expect(200);
    }
    expect(await Payment.countDocuments({ orderId })).toBe(0);
    // The right amount and currency still record it.
    const payload = stripeEvent('payment_intent.succeeded', { id: 'pi_right', orderId, amount: 2000, currency: 'usd' });
    await deliver(payload, sign(payload)).expect(200);
    expect(await Payment.find({ orderId }, { stripeId: 1, _id: 0 }).lean()).toEqual([{ stripeId: 'pi_right' }]);
  });

  it('payment_intent.succeeded for an order the synchronous path already recorded changes nothing', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId, token: 'tok_visa' }).expect(201);
    const recorded = await Payment.findOne({ orderId }).lean();

    const payload = stripeEvent('payment_intent.succeeded', { id: recorded!.stripeId, orderId });
    await deliver(payload, sign(payload)).expect(200);
    expect(await Payment.countDocuments({ orderId })).toBe(1);
    expect((await Payment.findOne({ orderId }).lean())!.stripeId).toBe(recorded!.stripeId);
  });

  it('rejects a missing, forged or wrongly signed signature with 400 and records nothing', async () => {
    const orderId = (await givenOrder()).id;
    const payload = stripeEvent('payment_intent.succeeded', { id: 'pi_forged', orderId });

    const missing = await deliver(payload).expect(400);
    expect(missing.body.errors[0].message).toBe('Missing Stripe-Signature header');
    const wrongSecret = await deliver(payload, sign(payload, 'whsec_someone_else')).expect(400);
    expect(wrongSecret.body.errors[0].message).toBe('Invalid webhook signature');
    await deliver(payload, 't=1,v1=deadbeef').expect(400);
    // A valid signature for another body does not carry over to a tampered one.
    const tampered = payload.replace('pi_forged', 'pi_tampered');
    await deliver(tampered, sign(payload)).expect(400);
    const stale = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await deliver(payload, stale).expect(400);

    expect(await Payment.countDocuments({ orderId })).toBe(0);
  });

  it('payment_intent.payment_failed is acknowledged without any change', async () => {
    const order = await givenOrder();
    const before = await Order.findById(order.id).lean();
    const payload = stripeEvent('payment_intent.payment_failed', {
      id: 'pi_failed',
      orderId: order.id,
      status: 'requires_payment_method',
      failure: 'Your card was declined.',
    });
    await deliver(payload, sign(payload)).expect(200);
    expect(await Payment.countDocuments({})).toBe(0);
    expect(await Order.findById(order.id).lean()).toEqual(before);
    expect(before!.status).toBe(OrderStatus.AwaitingPayment);
  });

  it('acknowledges and ignores event types it does not handle, and PaymentIntents that are not ours', async () => {
    const orderId = (await givenOrder()).id;
    const other = stripeEvent('charge.refunded', { id: 'pi_x', orderId });
    expect((await deliver(other, sign(other)).expect(200)).body).toEqual({ received: true });
    const notOurs = stripeEvent('payment_intent.succeeded', { id: 'pi_elsewhere' });
    await deliver(notOurs, sign(notOurs)).expect(200);
    expect(await Payment.countDocuments({})).toBe(0);
  });

  it('answers 503 (Stripe retries) for a succeeded payment of an order the replica does not know yet', async () => {
    const orderId = randomObjectId();
    const payload = stripeEvent('payment_intent.succeeded', { id: 'pi_early', orderId });
    await deliver(payload, sign(payload)).expect(503);
    expect(await Payment.countDocuments({ orderId })).toBe(0);

    await givenOrder({ id: orderId });
    await deliver(payload, sign(payload)).expect(200);
    expect(await Payment.countDocuments({ orderId })).toBe(1);
  });
});
