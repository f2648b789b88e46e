import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import Stripe from 'stripe';
import request from 'supertest';
import { CURRENCY } from '../src/gateway';
import { Payment, PaymentStatus } from '../src/models';
import { givenOrder, handled, intentsOf, orderDecided, outboxDrained, paymentEventsFor, paymentsTestOptions, TEST_WEBHOOK_SECRET, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
const http = useTestServer(env, { decisionWaitMs: 0 });

interface IntentClaim {
  id: string;
  orderId?: string;
  attempt?: string;
  status?: string;
  amount?: number;
  currency?: string;
  livemode?: boolean;
}

/** A Stripe event as Stripe would send it (only the fields we read are meaningful). */
function stripeEvent(type: string, intent: IntentClaim): string {
  const livemode = intent.livemode ?? false;
  const object =
    type === 'charge.refunded'
      ? {
          id: `ch_${randomObjectId()}`,
          object: 'charge',
          amount: intent.amount ?? 2000,
          currency: intent.currency ?? 'usd',
          livemode,
          payment_intent: intent.id,
          refunds: { object: 'list', data: [{ id: `re_dashboard_${intent.id}`, object: 'refund' }] },
          metadata: {},
        }
      : {
          id: intent.id,
          object: 'payment_intent',
          amount: intent.amount ?? 2000,
          currency: intent.currency ?? 'usd',
          livemode,
          status: intent.status ?? 'requires_capture',
          metadata: { ...(intent.orderId ? { orderId: intent.orderId } : {}), ...(intent.attempt ? { attempt: intent.attempt } : {}) },
        };
  return JSON.stringify({
    id: `evt_${randomObjectId()}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: Math.floor(Date.now() / 1000),
    livemode,
    type,
    data: { object },
  });
}

const sign = (payload: string, secret = TEST_WEBHOOK_SECRET) => Stripe.webhooks.generateTestHeaderString({ payload, secret });

/** Posts the payload, signed with the test secret unless another signature (or null: none) is given. */
const deliver = (payload: string, signature: string | null = sign(payload)) => {
  const req = request(http.server).post('/api/payments/webhook').set('Content-Type', 'application/json');
  return (signature === null ? req : req.set('Stripe-Signature', signature)).send(payload);
};
const send = (type: string, intent: IntentClaim) => deliver(stripeEvent(type, intent)).expect(200);

/** An order and a payment attempt in the given state (via the API and the sandbox). */
async function paymentWith(token: string) {
  const userId = randomObjectId();
  const orderId = (await givenOrder({ userId })).id;
  const res = await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId, token }).expect(202);
  const payment = (await Payment.findById(res.body.id).lean())!;
  return { orderId, payment, stripeId: payment.stripeId!, userId };
}

/** Everything an event could have changed. */
async function snapshot(orderId: string) {
  await outboxDrained();
  const payments = await Payment.find({ orderId }, { outbox: 0, updatedAt: 0, statusAt: 0 }).lean();
  const events = await Promise.all(
    (['payment.created', 'payment.captured', 'payment.voided', 'payment.refunded'] as const).map((s) => paymentEventsFor(env, orderId, s)),
  );
  return { payments, events: events.map((e) => e.length), intents: await intentsOf(orderId) };
}

describe('POST /api/payments/webhook: outcomes of our intents', () => {
  it('3-D Secure: a later signed webhook authorises the payment, which the order accepts; a replay and an older event change nothing', async () => {
    const { orderId, payment, stripeId } = await paymentWith('tok_threeDSecure2Required');
    expect(payment.status).toBe(PaymentStatus.RequiresAction);

    await gateway.inner.completeAuthentication(stripeId);
    const authorised = stripeEvent('payment_intent.amount_capturable_updated', { id: stripeId, orderId, attempt: '0' });
    expect((await deliver(authorised).expect(200)).body).toEqual({ received: true });
    const after = (await Payment.findById(payment._id).lean())!;
    expect(after.status).toBe(PaymentStatus.Authorized);
    expect(String(after.acceptedFor)).toBe(orderId);
    await outboxDrained();
    expect((await paymentEventsFor(env, orderId)).map((e) => e.data.id)).toEqual([String(payment._id)]);

    const settled = await snapshot(orderId);
    await deliver(authorised).expect(200); // Stripe redelivers
    await send('payment_intent.requires_action', { id: stripeId, orderId, status: 'requires_action' }); // an older one, late
    expect(await snapshot(orderId)).toEqual(settled);
  });

  it('processing: the event never decides, the processor does; resolved by the webhook once it really is authorised', async () => {
    const { orderId, payment, stripeId } = await paymentWith('pm_sandbox_processing');
    // Correctly signed and about our intent, but claiming success the processor has not given.
    await send('payment_intent.succeeded', { id: stripeId, orderId, status: 'succeeded' });
    expect((await Payment.findById(payment._id).lean())!.status).toBe(PaymentStatus.Processing);

    await gateway.inner.finishProcessing(stripeId);
    await send('payment_intent.amount_capturable_updated', { id: stripeId, orderId });
    expect((await Payment.findById(payment._id).lean())!).toMatchObject({ status: PaymentStatus.Authorized, acceptedFor: payment.orderId });
  });

  it('a failed authentication (payment_intent.payment_failed) fails the attempt; the buyer can pay again', async () => {
    const { orderId, payment, stripeId, userId } = await paymentWith('pm_card_threeDSecure2Required');
    await gateway.inner.completeAuthentication(stripeId, false);
    await send('payment_intent.payment_failed', { id: stripeId, orderId, status: 'requires_payment_method' });
    expect((await Payment.findById(payment._id).lean())!.status).toBe(PaymentStatus.Failed);
    await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId, token: 'tok_visa' }).expect(202);
  });

  it('finds the attempt whose intent id was never recorded (the process died mid-call) by its order and attempt', async () => {
    const orderId = (await givenOrder()).id;
    const idempotencyKey = `pi:${orderId}:0`;
    const intent = await gateway.inner.authorize({ orderId, attempt: 0, amountCents: 2000, token: 'tok_visa', idempotencyKey });
    const pending = await Payment.create({ orderId, attempt: 0, idempotencyKey, amountCents: 2000, currency: CURRENCY, token: 'tok_visa', status: 'pending' });

    await send('payment_intent.amount_capturable_updated', { id: intent.id, orderId: orderId.toUpperCase(), attempt: '0' });
    expect((await Payment.findById(pending._id).lean())!).toMatchObject({ status: 'authorized', stripeId: intent.id, acceptedFor: pending.orderId });
  });

  it('charge.refunded (a refund made elsewhere) records the refund of a captured payment, once', async () => {
    const { orderId, payment, stripeId } = await paymentWith('tok_visa');
    const completed = await orderDecided(env, orderId, 'completed', 2);
    await handled(env, 'order.completed', completed.seq);
    await gateway.inner.refund(stripeId, 2000, 'dashboard-refund');

    const refunded = stripeEvent('charge.refunded', { id: stripeId });
    await deliver(refunded).expect(200);
    await deliver(refunded).expect(200);
    expect((await Payment.findById(payment._id).lean())!).toMatchObject({ status: 'refunded', refundId: `re_dashboard_${stripeId}` });
    await eventually(async () => (await paymentEventsFor(env, orderId, 'payment.refunded')).length === 1);
    await outboxDrained();
    expect(await paymentEventsFor(env, orderId, 'payment.refunded')).toHaveLength(1);
  });
});

describe('POST /api/payments/webhook: forged or foreign events change nothing', () => {
  it('a correctly signed event (the development secret is public) for an intent we never created: ignored', async () => {
    const orderId = (await givenOrder()).id;
    const before = await snapshot(orderId);
    for (const type of ['payment_intent.succeeded', 'payment_intent.amount_capturable_updated']) {
      await send(type, { id: `pi_forged_${randomObjectId()}`, orderId, attempt: '0', status: 'succeeded' });
    }
    expect(await snapshot(orderId)).toEqual(before);
    expect(await Payment.countDocuments({ orderId })).toBe(0);
  });

  it('an event about our intent with another amount, currency or mode: ignored, and the processor is not even asked', async () => {
    const { orderId, stripeId } = await paymentWith('tok_threeDSecure2Required');
    await gateway.inner.completeAuthentication(stripeId);
    const before = await snapshot(orderId);
    const retrievals = gateway.callsOn('retrieve', stripeId);
    for (const wrong of [{ amount: 50 }, { amount: 2001 }, { currency: 'eur' }, { livemode: true }]) {
      await send('payment_intent.amount_capturable_updated', { id: stripeId, orderId, ...wrong });
    }
    expect(await snapshot(orderId)).toEqual(before);
    expect(gateway.callsOn('retrieve', stripeId)).toBe(retrievals);
    // The genuine one still works.
    await send('payment_intent.amount_capturable_updated', { id: stripeId, orderId });
    expect((await Payment.findOne({ stripeId }).lean())!.status).toBe('authorized');
  });

  it('a canceled event for an authorised payment whose intent is still held changes nothing; a real cancellation voids it', async () => {
    const { orderId, payment, stripeId } = await paymentWith('tok_visa');
    const before = await snapshot(orderId);
    await send('payment_intent.canceled', { id: stripeId, orderId, status: 'canceled' });
    expect(await snapshot(orderId)).toEqual(before);

    await gateway.inner.cancel(stripeId, 'elsewhere'); // e.g. the authorisation lapsed
    await send('payment_intent.canceled', { id: stripeId, orderId, status: 'canceled' });
    expect((await Payment.findById(payment._id).lean())!.status).toBe('voided');
    await outboxDrained();
    expect(await paymentEventsFor(env, orderId, 'payment.voided')).toHaveLength(1);
  });

  it('rejects a missing, forged or wrongly signed signature with 400 and records nothing', async () => {
    const orderId = (await givenOrder()).id;
    const payload = stripeEvent('payment_intent.succeeded', { id: 'pi_forged', orderId });

    const missing = await deliver(payload, null).expect(400);
    expect(missing.body.errors[0].message).toBe('Missing Stripe-Signature header');
    const wrongSecret = await deliver(payload, sign(payload, 'whsec_someone_else')).expect(400);
    expect(wrongSecret.body.errors[0].message).toBe('Invalid webhook signature');
    await deliver(payload, 't=1,v1=deadbeef').expect(400);
    // A valid signature for another body does not carry over to a tampered one.
    await deliver(payload.replace('pi_forged', 'pi_tampered'), sign(payload)).expect(400);
    const stale = Stripe.webhooks.generateTestHeaderString({ payload, secret: TEST_WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await deliver(payload, stale).expect(400);
    expect(await Payment.countDocuments({ orderId })).toBe(0);
  });

  it('a signed event with odd shapes where ids and amounts belong: ignored (200), never a 500; operators are refused at the edge (400)', async () => {
    const { orderId, payment } = await paymentWith('tok_threeDSecure2Required');
    const before = await snapshot(orderId);
    const event = (type: string, data: object) => JSON.stringify({ id: 'evt_odd', object: 'event', type, livemode: false, ...data });
    for (const object of [
      { id: ['pi_x'], amount: 2000, currency: 'usd', metadata: { orderId, attempt: '0' } },
      { id: { id: 'pi_x' }, amount: 2000, currency: 'usd' },
      { id: 'pi_x', amount: '2000', currency: 'usd' },
      { id: 'pi_x', amount: 2000, currency: 'usd', metadata: { orderId: [orderId], attempt: { n: 0 } } },
      { id: 'pi_x', amount: 2000, currency: 'usd', metadata: { orderId, attempt: '' } },
    ]) {
      await deliver(event('payment_intent.amount_capturable_updated', { data: { object } })).expect(200);
    }
    await deliver(event('payment_intent.succeeded', {})).expect(200);
    await deliver(event('charge.refunded', { data: { object: { payment_intent: { object: 'payment_intent' }, amount: 2000, currency: 'usd' } } })).expect(200);
    await deliver(event('charge.refunded', { data: null })).expect(200);

    const operator = await deliver(event('payment_intent.amount_capturable_updated', { data: { object: { id: { $ne: null }, amount: 2000, currency: 'usd' } } })).expect(400);
    expect(operator.body.errors[0].message).toMatch(/Invalid key/);
    expect(await snapshot(orderId)).toEqual(before);
    expect((await Payment.findById(payment._id).lean())!.status).toBe('requires_action');
  });

  it('acknowledges and ignores event types it does not handle', async () => {
    const orderId = (await givenOrder()).id;
    const other = stripeEvent('customer.created', { id: 'cus_x', orderId });
    expect((await deliver(other).expect(200)).body).toEqual({ received: true });
    expect(await Payment.countDocuments({})).toBe(0);
  });
});
