import { OrderStatus } from '@ticketing/common';
import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order, Payment } from '../src/models';
import { paymentSweeper } from '../src/domain/payment-sweeper';
import { CANCELLED_NOT_CHARGED } from '../src/domain/payment-answer';
import { givenOrder, handled, intentsOf, neverMintedOrderId, orderDecided, outboxDrained, paymentEventsFor, paymentsTestOptions, testLogger, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
// `quick` answers 202 at once for an authorised payment; `patient` waits for the order's decision.
const quick = useTestServer(env, { decisionWaitMs: 0 });
const patient = useTestServer(env, { decisionWaitMs: 60_000 });

const pay = (server: { server: import('node:http').Server }, cookie: string[] | undefined, body: object) => {
  const req = request(server.server).post('/api/payments');
  return cookie ? req.set('Cookie', cookie).send(body) : req.send(body);
};

async function paymentOf(orderId: string) {
  const payments = await Payment.find({ orderId }).lean();
  expect(payments).toHaveLength(1);
  return payments[0];
}

describe('POST /api/payments: authorise, then the order decides', () => {
  it('authorises, publishes payment.created, and captures exactly once when order.completed arrives: 201 captured', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 19.99 })).id;

    const answer = pay(patient, signin({ id: userId }), { orderId, token: 'tok_visa' }).then((r) => r);
    // The orders service accepts (payment.created) and completes the order.
    const created = await eventually(async () => (await paymentEventsFor(env, orderId))[0]);
    const payment = await paymentOf(orderId);
    expect(payment).toMatchObject({ status: 'authorized', attempt: 0, idempotencyKey: `pi:${orderId}:0`, amountCents: 1999, currency: 'usd', token: 'tok_visa' });
    expect(String(payment.acceptedFor)).toBe(orderId);
    // The buyer rides along (the live service tells them).
    expect(created.data).toEqual({ id: String(payment._id), orderId, stripeId: payment.stripeId, version: 0, amount: 1999, userId });
    expect(created.msgId).toBe(`payment.created:${String(payment._id)}:0`);
    expect(await intentsOf(orderId)).toEqual({ requires_capture: 1 }); // held, not taken
    await orderDecided(env, orderId, 'completed', 2);

    const res = await answer;
    expect([res.status, res.body]).toEqual([201, { id: String(payment._id), status: 'captured' }]);
    expect(await intentsOf(orderId)).toEqual({ succeeded: 1 });
    await outboxDrained();
    const captured = await paymentEventsFor(env, orderId, 'payment.captured');
    expect(captured.map((e) => e.data)).toEqual([{ id: String(payment._id), orderId, stripeId: payment.stripeId, version: 1, amount: 1999, userId }]);
    expect(gateway.authorizations(orderId)).toEqual([{ orderId, attempt: 0, amountCents: 1999, token: 'tok_visa', idempotencyKey: `pi:${orderId}:0` }]);

    // Paid: any further attempt is refused without touching the card.
    const again = await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(400);
    expect(again.body.errors[0].message).toBe('Order has already been paid');
    expect(gateway.authorizations(orderId)).toHaveLength(1);
  });

  it('answers 202 authorised while the order has not decided; a retry is 400 already paid', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const res = await pay(quick, signin({ id: userId }), { orderId, token: 'pm_card_visa' }).expect(202);
    const payment = await paymentOf(orderId);
    expect(res.body).toEqual({ id: String(payment._id), status: 'authorized' });
    expect((await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(400)).body.errors[0].message).toBe(
      'Order has already been paid',
    );
  });

  it('order.cancelled after the authorisation: the hold is voided (payment.voided), never captured', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(202);
    const cancelled = await orderDecided(env, orderId, 'cancelled', 2);
    await handled(env, 'order.cancelled', cancelled.seq);

    const payment = await paymentOf(orderId);
    expect(payment.status).toBe('voided');
    expect(await intentsOf(orderId)).toEqual({ canceled: 1 });
    await outboxDrained();
    expect((await paymentEventsFor(env, orderId, 'payment.voided')).map((e) => e.data)).toEqual([
      { id: String(payment._id), orderId, stripeId: payment.stripeId, version: 1, userId },
    ]);
    expect(await paymentEventsFor(env, orderId, 'payment.captured')).toEqual([]);
  });

  it('an order cancelled while the request waits for the decision: 400, the card was not charged', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const answer = pay(patient, signin({ id: userId }), { orderId, token: 'tok_visa' }).then((r) => r);
    await eventually(async () => (await paymentEventsFor(env, orderId)).length === 1);
    await orderDecided(env, orderId, 'cancelled', 2);
    const res = await answer;
    expect([res.status, res.body]).toEqual([400, { errors: [{ message: CANCELLED_NOT_CHARGED }] }]);
    expect(await intentsOf(orderId)).toEqual({ canceled: 1 });
  });

  it('a captured payment whose order ends cancelled is refunded automatically (payment.refunded with the refund id)', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 30 })).id;
    await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(202);
    const completed = await orderDecided(env, orderId, 'completed', 2);
    await handled(env, 'order.completed', completed.seq);
    expect((await paymentOf(orderId)).status).toBe('captured');

    const cancelled = await orderDecided(env, orderId, 'cancelled', 3);
    await handled(env, 'order.cancelled', cancelled.seq);
    const payment = await paymentOf(orderId);
    expect(payment.status).toBe('refunded');
    expect(payment.refundId).toMatch(/^re_sandbox_/);
    await outboxDrained();
    expect((await paymentEventsFor(env, orderId, 'payment.refunded')).map((e) => e.data)).toEqual([
      { id: String(payment._id), orderId, stripeId: payment.stripeId, version: 2, amount: 3000, refundId: payment.refundId, userId },
    ]);
    // A redelivered order.cancelled refunds nothing twice.
    const again = await env.publisher.publish('order.cancelled', { id: orderId, version: 3, ticket: { id: randomObjectId() } }, `dup-${orderId}`);
    await handled(env, 'order.cancelled', again.seq);
    expect(gateway.callsOn('refund', payment.stripeId!)).toBe(1);
    expect(await paymentEventsFor(env, orderId, 'payment.refunded')).toHaveLength(1);
  });
});

describe('POST /api/payments: retries always converge', () => {
  it('declined → processor error → good card: one order, exactly one capture; the unknown outcome is voided', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 50 })).id;
    const cookie = signin({ id: userId });

    const declined = await pay(quick, cookie, { orderId, token: 'tok_chargeDeclined' }).expect(402);
    expect(declined.body).toEqual({ errors: [{ message: 'Your card was declined.' }] });

    gateway.inner.failNextCalls(1);
    const unavailable = await pay(quick, cookie, { orderId, token: 'tok_visa' }).expect(503);
    expect(unavailable.body.errors[0].message).toMatch(/unavailable/);

    await pay(quick, cookie, { orderId, token: 'pm_card_mastercard' }).expect(202);
    expect(gateway.authorizations(orderId).map((r) => r.idempotencyKey)).toEqual([
      `pi:${orderId}:0`,
      `pi:${orderId}:1`,
      `pi:${orderId}:2`,
    ]);
    const completed = await orderDecided(env, orderId, 'completed', 2);
    await handled(env, 'order.completed', completed.seq);

    // The sweep re-issues the attempt whose outcome was unknown: the processor acts now, and
    // the hold is released since the order completed with another payment.
    const sweeper = paymentSweeper({ gateway: gateway, logger: testLogger(), recheckAfterMs: 0, intervalSeconds: 0 });
    await sweeper.sweep();
    const byAttempt = (await Payment.find({ orderId }).sort({ attempt: 1 }).lean()).map((p) => [p.attempt, p.status, Boolean(p.acceptedFor)]);
    expect(byAttempt).toEqual([
      [0, 'failed', false],
      [1, 'voided', false],
      [2, 'captured', true],
    ]);
    expect(await intentsOf(orderId)).toEqual({ requires_payment_method: 1, canceled: 1, succeeded: 1 });
    await outboxDrained();
    expect(await paymentEventsFor(env, orderId, 'payment.captured')).toHaveLength(1);
    expect(await paymentEventsFor(env, orderId)).toHaveLength(1);
    expect(await paymentEventsFor(env, orderId, 'payment.voided')).toHaveLength(0); // never accepted: orders need not know
  });

  it('an invalid token is a 400 on token and moves the key: the next card is a fresh attempt', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const res = await pay(quick, signin({ id: userId }), { orderId, token: 'tok_made_up' }).expect(400);
    expect(res.body).toEqual({ errors: [{ message: 'Unknown test card token', field: 'token' }] });
    await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(202);
    expect(gateway.authorizations(orderId).map((r) => r.idempotencyKey)).toEqual([`pi:${orderId}:0`, `pi:${orderId}:1`]);
  });

  it('requires_action: 202 with the client secret, and the key moves (the buyer may choose another card)', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const res = await pay(quick, signin({ id: userId }), { orderId, token: 'tok_threeDSecure2Required' }).expect(202);
    const payment = await paymentOf(orderId);
    expect(res.body).toEqual({ id: String(payment._id), status: 'requires_action', clientSecret: expect.stringMatching(/^pi_sandbox_\w+_secret_\w+$/) });
    expect(payment.status).toBe('requires_action');
    expect((await Order.findById(orderId).lean())!.paymentAttempts).toBe(1);

    // Another card instead: accepted; the abandoned 3-D Secure intent is cancelled.
    await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(202);
    const statuses = (await Payment.find({ orderId }).sort({ attempt: 1 }).lean()).map((p) => p.status);
    expect(statuses).toEqual(['voided', 'authorized']);
    expect(await intentsOf(orderId)).toEqual({ canceled: 1, requires_capture: 1 });
  });

  it('processing: 202, and a second attempt is a 409 until it resolves', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const res = await pay(quick, signin({ id: userId }), { orderId, token: 'pm_sandbox_processing' }).expect(202);
    const payment = await paymentOf(orderId);
    expect(res.body).toEqual({ id: String(payment._id), status: 'processing' });
    expect((await Order.findById(orderId).lean())!.paymentAttempts).toBe(0);

    const blocked = await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(409);
    expect(blocked.body.errors[0].message).toBe('A payment for this order is processing; wait for its outcome');

    // It fails after all: the key moves and the buyer can pay.
    await gateway.inner.finishProcessing(payment.stripeId!, false);
    const sweeper = paymentSweeper({ gateway: gateway, logger: testLogger(), recheckAfterMs: 0, intervalSeconds: 0 });
    await sweeper.sweep();
    expect((await paymentOf(orderId)).status).toBe('failed');
    await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(202);
    expect(gateway.authorizations(orderId).map((r) => r.idempotencyKey)).toEqual([`pi:${orderId}:0`, `pi:${orderId}:1`]);
  });
});

describe('POST /api/payments: refusals', () => {
  it('answers 400 for a cancelled order', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, status: OrderStatus.Cancelled, version: 1 })).id;
    const res = await pay(quick, signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(400);
    expect(res.body.errors[0].message).toBe('Cannot pay for a cancelled order');
    expect(gateway.authorizations(orderId)).toEqual([]);
  });

  it('answers 400 for a completed order and for an expired one', async () => {
    const userId = randomObjectId();
    const complete = (await givenOrder({ userId, status: OrderStatus.Complete, version: 1 })).id;
    const expired = (await givenOrder({ userId, expiresAt: new Date(Date.now() - 1_000) })).id;
    expect((await pay(quick, signin({ id: userId }), { orderId: complete, token: 'tok_visa' }).expect(400)).body.errors[0].message).toBe(
      'Order has already been paid',
    );
    expect((await pay(quick, signin({ id: userId }), { orderId: expired, token: 'tok_visa' }).expect(400)).body.errors[0].message).toBe(
      'Order has expired',
    );
    expect(await Payment.countDocuments({})).toBe(0);
  });

  it('takes no money for an order the tickets service has not confirmed: waits for it, then 409; paid once it is confirmed', async () => {
    const userId = randomObjectId();
    const unconfirmed = (await givenOrder({ userId, status: OrderStatus.Created, version: 0 })).id;
    const refused = await pay(quick, signin({ id: userId }), { orderId: unconfirmed, token: 'tok_visa' }).expect(409);
    expect(refused.body.errors[0].message).toMatch(/not yet confirmed/);
    expect(gateway.authorizations(unconfirmed)).toEqual([]);

    const confirmedSoon = (await givenOrder({ userId, status: OrderStatus.Created, version: 0 })).id;
    const paying = pay(quick, signin({ id: userId }), { orderId: confirmedSoon, token: 'tok_visa' });
    setTimeout(() => void Order.updateOne({ _id: confirmedSoon }, { status: OrderStatus.AwaitingPayment, version: 1 }).exec(), 300);
    await paying.expect(202);
    expect(await Payment.countDocuments({ orderId: confirmedSoon })).toBe(1);

    const refusedSoon = (await givenOrder({ userId, status: OrderStatus.Created, version: 0 })).id;
    const paying2 = pay(quick, signin({ id: userId }), { orderId: refusedSoon, token: 'tok_visa' });
    setTimeout(() => void Order.updateOne({ _id: refusedSoon }, { status: OrderStatus.Cancelled, version: 1 }).exec(), 300);
    expect((await paying2.expect(400)).body.errors[0].message).toBe('Cannot pay for a cancelled order');
    expect(gateway.authorizations(refusedSoon)).toEqual([]);
  });

  it("answers 403 for someone else's order and 404 for an id that was never an order", async () => {
    const orderId = (await givenOrder({ userId: randomObjectId() })).id;
    await pay(quick, signin(), { orderId, token: 'tok_visa' }).expect(403);
    expect(await Payment.countDocuments({ orderId })).toBe(0);
    const res = await pay(quick, signin(), { orderId: neverMintedOrderId(), token: 'tok_visa' }).expect(404);
    expect(res.body.errors[0].message).toBe('Order not found');
  });

  it('answers 400 for a malformed order id, a missing token or both token and paymentIntentId; 401 when signed out', async () => {
    const bad = await pay(quick, signin(), { orderId: 'not-an-id', token: 'tok_visa' }).expect(400);
    expect(bad.body.errors).toEqual([{ message: 'orderId must be a valid order id', field: 'orderId' }]);
    const noToken = await pay(quick, signin(), { orderId: randomObjectId() }).expect(400);
    expect(noToken.body.errors[0].field).toBe('token');
    const blankToken = await pay(quick, signin(), { orderId: randomObjectId(), token: '   ' }).expect(400);
    expect(blankToken.body.errors[0].field).toBe('token');
    const both = await pay(quick, signin(), { orderId: randomObjectId(), token: 'tok_visa', paymentIntentId: 'pi_123' }).expect(400);
    expect(both.body.errors.map((e: { field: string }) => e.field)).toEqual(['paymentIntentId']);
    const badIntent = await pay(quick, signin(), { orderId: randomObjectId(), paymentIntentId: 'seti_123' }).expect(400);
    expect(badIntent.body.errors.map((e: { field: string }) => e.field)).toEqual(['paymentIntentId']);
    const operator = await pay(quick, signin(), { orderId: { $gt: '' }, token: 'tok_visa' }).expect(400);
    expect(operator.body.errors[0].message).toMatch(/Invalid key/);
    await pay(quick, undefined, { orderId: randomObjectId(), token: 'tok_visa' }).expect(401);
  });
});
