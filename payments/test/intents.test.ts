import { randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Payment } from '../src/models';
import { givenOrder, handled, intentsOf, neverMintedOrderId, orderDecided, paymentsTestOptions, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
const http = useTestServer(env, { decisionWaitMs: 0 });

const post = (path: string, userId: string, body: object) => request(http.server).post(path).set('Cookie', signin({ id: userId })).send(body);

describe('Payment Element flow: POST /api/payments/intents, then POST /api/payments {paymentIntentId}', () => {
  it('creates one unconfirmed intent per attempt (the same one again), and the confirmed intent pays the order', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 12.34 })).id;

    const created = await post('/api/payments/intents', userId, { orderId }).expect(201);
    expect(created.body).toEqual({ id: expect.any(String), clientSecret: expect.stringMatching(/^pi_sandbox_\w+_secret_/), amount: 1234, currency: 'usd' });
    const again = await post('/api/payments/intents', userId, { orderId }).expect(201);
    expect(again.body).toEqual(created.body);
    const payment = (await Payment.findById(created.body.id).lean())!;
    expect(payment).toMatchObject({ status: 'pending', attempt: 0, amountCents: 1234 });
    expect(payment.token).toBeUndefined();

    // Not confirmed yet: nothing to apply.
    const early = await post('/api/payments', userId, { orderId, paymentIntentId: payment.stripeId }).expect(202);
    expect(early.body).toEqual({ id: created.body.id, status: 'pending' });

    // The browser confirms with Stripe.js, then tells us.
    await gateway.inner.confirmWithCard(payment.stripeId!, 'pm_card_visa');
    const paid = await post('/api/payments', userId, { orderId, paymentIntentId: payment.stripeId }).expect(202);
    expect(paid.body).toEqual({ id: created.body.id, status: 'authorized' });
    const completed = await orderDecided(env, orderId, 'completed', 2);
    await handled(env, 'order.completed', completed.seq);
    expect((await Payment.findById(created.body.id).lean())!.status).toBe('captured');
    expect(await intentsOf(orderId)).toEqual({ succeeded: 1 });
    // Told again (e.g. after the webhook settled it): its outcome, not "already paid".
    const told = await post('/api/payments', userId, { orderId, paymentIntentId: payment.stripeId }).expect(201);
    expect(told.body).toEqual({ id: created.body.id, status: 'captured' });
    await post('/api/payments', randomObjectId(), { orderId, paymentIntentId: payment.stripeId }).expect(403);
  });

  it('refuses an intent that is not one we created for this order', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const other = (await givenOrder({ userId })).id;
    const intent = await post('/api/payments/intents', userId, { orderId: other }).expect(201);
    const stripeId = (await Payment.findById(intent.body.id).lean())!.stripeId!;

    for (const paymentIntentId of [stripeId, 'pi_unknown_123']) {
      const res = await post('/api/payments', userId, { orderId, paymentIntentId }).expect(400);
      expect(res.body).toEqual({ errors: [{ message: 'Not a payment intent of this order', field: 'paymentIntentId' }] });
    }
    expect(await Payment.countDocuments({ orderId })).toBe(0);
  });

  it('a declined confirmation is a 402; the intent can be confirmed again with another card', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const created = await post('/api/payments/intents', userId, { orderId }).expect(201);
    const stripeId = (await Payment.findById(created.body.id).lean())!.stripeId!;
    await gateway.inner.confirmWithCard(stripeId, 'pm_card_chargeDeclined');
    // Stripe keeps the intent open after a decline (requires_payment_method): the browser retries it.
    const declined = await post('/api/payments', userId, { orderId, paymentIntentId: stripeId }).expect(402);
    expect(declined.body).toEqual({ errors: [{ message: 'Your card was declined.' }] });
    expect((await Payment.findById(created.body.id).lean())!.status).toBe('pending');
    await gateway.inner.confirmWithCard(stripeId, 'pm_card_visa');
    await post('/api/payments', userId, { orderId, paymentIntentId: stripeId }).expect(202);
    expect((await Payment.findById(created.body.id).lean())!.status).toBe('authorized');
  });

  it('an open intent is cancelled when the order is cancelled', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    await post('/api/payments/intents', userId, { orderId }).expect(201);
    const cancelled = await orderDecided(env, orderId, 'cancelled', 2);
    await handled(env, 'order.cancelled', cancelled.seq);
    expect(await intentsOf(orderId)).toEqual({ canceled: 1 });
    expect((await Payment.findOne({ orderId }).lean())!.status).toBe('failed');
  });

  it('answers 400 / 401 / 403 / 404 like POST /api/payments', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    await request(http.server).post('/api/payments/intents').send({ orderId }).expect(401);
    await post('/api/payments/intents', randomObjectId(), { orderId }).expect(403);
    await post('/api/payments/intents', userId, { orderId: neverMintedOrderId() }).expect(404);
    const bad = await post('/api/payments/intents', userId, { orderId: 'x' }).expect(400);
    expect(bad.body.errors).toEqual([{ message: 'orderId must be a valid order id', field: 'orderId' }]);
  });
});

describe('GET /api/payments?orderId=', () => {
  it("lists the order's attempts, oldest first, to its owner only", async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 20 })).id;
    await post('/api/payments', userId, { orderId, token: 'tok_chargeDeclined' }).expect(402);
    await post('/api/payments', userId, { orderId, token: 'tok_visa' }).expect(202);

    const list = await request(http.server).get(`/api/payments?orderId=${orderId.toUpperCase()}`).set('Cookie', signin({ id: userId })).expect(200);
    expect(list.body).toEqual([
      { id: expect.any(String), status: 'failed', amount: 2000, createdAt: expect.any(String) },
      { id: expect.any(String), status: 'authorized', amount: 2000, createdAt: expect.any(String) },
    ]);
    await request(http.server).get(`/api/payments?orderId=${orderId}`).set('Cookie', signin()).expect(403);
    await request(http.server).get(`/api/payments?orderId=${randomObjectId()}`).set('Cookie', signin({ id: userId })).expect(404);
    await request(http.server).get('/api/payments?orderId=nope').set('Cookie', signin({ id: userId })).expect(400);
    await request(http.server).get(`/api/payments?orderId=${orderId}`).expect(401);
  });
});
