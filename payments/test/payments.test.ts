import { OrderStatus } from '@ticketing/common';
import { eventually, randomObjectId, signin } from '@ticketing/common/testing';
import request from 'supertest';
import { SandboxGateway } from '../src/gateway';
import { Order, Payment } from '../src/models';
import { givenOrder, outboxDrained, paymentEventsFor, useTestEnvironment, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';

const env = useTestEnvironment();
let gateway: RecordingGateway;
const http = useTestServer(() => (gateway = new RecordingGateway()));

const pay = (cookie: string[] | undefined, body: object) => {
  const req = request(http.server).post('/api/payments');
  return cookie ? req.set('Cookie', cookie).send(body) : req.send(body);
};

describe('POST /api/payments (offline sandbox gateway)', () => {
  it('charges the order, stores one payment and publishes payment.created on JetStream', async () => {
    const userId = randomObjectId();
    const order = await givenOrder({ userId, price: 19.99 });
    const orderId = order._id.toHexString();

    const res = await pay(signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(201);

    const payment = await Payment.findOne({ orderId }).lean();
    expect(payment).not.toBeNull();
    expect(res.body).toEqual({ id: String(payment!._id) });
    expect(payment!.stripeId).toMatch(/^pi_sandbox_[0-9a-f]+$/);
    const charged = gateway.requests.filter((r) => r.orderId === orderId);
    expect(charged).toEqual([{ orderId, attempt: 0, amountCents: 1999, token: 'tok_visa', idempotencyKey: `pi:${orderId}:0` }]);

    const events = await eventually(async () => {
      const found = await paymentEventsFor(env, orderId);
      return found.length ? found : undefined;
    });
    await outboxDrained();
    expect(await paymentEventsFor(env, orderId)).toHaveLength(1);
    expect(events![0].data).toEqual({ id: res.body.id, orderId, stripeId: payment!.stripeId });
    expect(events![0].msgId).toBe(`payment.created:${res.body.id}`);

    // Paid: any further attempt is refused without touching the card.
    const again = await pay(signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(400);
    expect(again.body.errors[0].message).toBe('Order has already been paid');
    expect(gateway.requests.filter((r) => r.orderId === orderId)).toHaveLength(1);
  });

  it('a retry after a crash between charge and record reuses the charge instead of charging again', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 10 })).id;
    // The first request charged the card and died before recording the payment.
    const sandbox = gateway.inner as SandboxGateway;
    const chargesBefore = sandbox.chargesMade;
    const first = await sandbox.authorize({ orderId, attempt: 0, amountCents: 1000, token: 'tok_visa', idempotencyKey: `pi:${orderId}:0` });

    await pay(signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(201);
    expect((await Payment.findOne({ orderId }).lean())!.stripeId).toBe(first.id);
    expect(sandbox.chargesMade - chargesBefore).toBe(1);
  });

  it('accepts a PaymentMethod id (pm_card_visa)', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    await pay(signin({ id: userId }), { orderId, token: 'pm_card_visa' }).expect(201);
    expect(await Payment.countDocuments({ orderId })).toBe(1);
  });

  it('answers 402 with the decline message for a declined card, stores nothing, and a later payment works', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 50 })).id;

    const declined = await pay(signin({ id: userId }), { orderId, token: 'tok_chargeDeclined' }).expect(402);
    expect(declined.body).toEqual({ errors: [{ message: 'Your card was declined.' }] });
    expect(await Payment.countDocuments({ orderId })).toBe(0);
    expect((await Order.findById(orderId).lean())!.status).toBe(OrderStatus.AwaitingPayment);

    const declinedAgain = await pay(signin({ id: userId }), { orderId, token: 'pm_card_chargeDeclined' }).expect(402);
    expect(declinedAgain.body.errors[0].message).toBe('Your card was declined.');

    const ok = await pay(signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(201);
    const payment = await Payment.findOne({ orderId }).lean();
    expect(ok.body.id).toBe(String(payment!._id));
    // Each attempt had its own idempotency key, so the decline was not replayed.
    expect(gateway.requests.filter((r) => r.orderId === orderId).map((r) => r.idempotencyKey)).toEqual([
      `pi:${orderId}:0`,
      `pi:${orderId}:1`,
      `pi:${orderId}:2`,
    ]);
    await eventually(async () => (await paymentEventsFor(env, orderId)).length === 1);
  });

  it('answers 400 for a token the sandbox does not know', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    const res = await pay(signin({ id: userId }), { orderId, token: 'tok_made_up' }).expect(400);
    expect(res.body).toEqual({ errors: [{ message: 'Unknown test card token', field: 'token' }] });
    expect(await Payment.countDocuments({ orderId })).toBe(0);
  });

  it('answers 400 for a cancelled order', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, status: OrderStatus.Cancelled, version: 1 })).id;
    const res = await pay(signin({ id: userId }), { orderId, token: 'tok_visa' }).expect(400);
    expect(res.body.errors[0].message).toBe('Cannot pay for a cancelled order');
    expect(gateway.requests.some((r) => r.orderId === orderId)).toBe(false);
  });

  it('answers 400 for a completed order and for an expired one', async () => {
    const userId = randomObjectId();
    const complete = (await givenOrder({ userId, status: OrderStatus.Complete, version: 1 })).id;
    const expired = (await givenOrder({ userId, expiresAt: new Date(Date.now() - 1_000) })).id;
    expect((await pay(signin({ id: userId }), { orderId: complete, token: 'tok_visa' }).expect(400)).body.errors[0].message).toBe(
      'Order has already been paid',
    );
    expect((await pay(signin({ id: userId }), { orderId: expired, token: 'tok_visa' }).expect(400)).body.errors[0].message).toBe(
      'Order has expired',
    );
    expect(await Payment.countDocuments({})).toBe(0);
  });

  it('takes no money for an order the tickets service has not confirmed: waits for it, then 409; paid once it is confirmed', async () => {
    const userId = randomObjectId();
    const unconfirmed = (await givenOrder({ userId, status: OrderStatus.Created, version: 0 })).id;
    const refused = await pay(signin({ id: userId }), { orderId: unconfirmed, token: 'tok_visa' }).expect(409);
    expect(refused.body.errors[0].message).toMatch(/not yet confirmed/);
    expect(gateway.requests.some((r) => r.orderId === unconfirmed)).toBe(false);

    // Confirmed while the payment waits (order.awaiting-payment reaching the replica): charged.
    const confirmedSoon = (await givenOrder({ userId, status: OrderStatus.Created, version: 0 })).id;
    const paying = pay(signin({ id: userId }), { orderId: confirmedSoon, token: 'tok_visa' });
    setTimeout(() => void Order.updateOne({ _id: confirmedSoon }, { status: OrderStatus.AwaitingPayment, version: 1 }).exec(), 300);
    await paying.expect(201);
    expect(await Payment.countDocuments({ orderId: confirmedSoon })).toBe(1);

    // Refused by the tickets service while the payment waits (order.cancelled): 400, no charge.
    const refusedSoon = (await givenOrder({ userId, status: OrderStatus.Created, version: 0 })).id;
    const paying2 = pay(signin({ id: userId }), { orderId: refusedSoon, token: 'tok_visa' });
    setTimeout(() => void Order.updateOne({ _id: refusedSoon }, { status: OrderStatus.Cancelled, version: 1 }).exec(), 300);
    expect((await paying2.expect(400)).body.errors[0].message).toBe('Cannot pay for a cancelled order');
    expect(gateway.requests.some((r) => r.orderId === refusedSoon)).toBe(false);
  });

  it("answers 403 for someone else's order", async () => {
    const orderId = (await givenOrder({ userId: randomObjectId() })).id;
    await pay(signin(), { orderId, token: 'tok_visa' }).expect(403);
    expect(await Payment.countDocuments({ orderId })).toBe(0);
  });

  it('answers 404 for an unknown order', async () => {
    const res = await pay(signin(), { orderId: randomObjectId(), token: 'tok_visa' }).expect(404);
    expect(res.body.errors[0].message).toBe('Order not found');
  });

  it('answers 400 for a malformed order id or a missing token, 401 when signed out', async () => {
    const bad = await pay(signin(), { orderId: 'not-an-id', token: 'tok_visa' }).expect(400);
    expect(bad.body.errors).toEqual([{ message: 'orderId must be a valid order id', field: 'orderId' }]);
    const noToken = await pay(signin(), { orderId: randomObjectId() }).expect(400);
    expect(noToken.body.errors[0].field).toBe('token');
    const blankToken = await pay(signin(), { orderId: randomObjectId(), token: '   ' }).expect(400);
    expect(blankToken.body.errors[0].field).toBe('token');
    const operator = await pay(signin(), { orderId: { $gt: '' }, token: 'tok_visa' }).expect(400);
    expect(operator.body.errors[0].message).toMatch(/Invalid key/);
    await pay(undefined, { orderId: randomObjectId(), token: 'tok_visa' }).expect(401);
  });
});
