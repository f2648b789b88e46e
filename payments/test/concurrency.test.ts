import { randomObjectId, signin } from '@ticketing/common/testing';
import request from 'supertest';
import { SandboxGateway } from '../src/gateway';
import { Payment } from '../src/models';
import { givenOrder, outboxDrained, paymentEventsFor, useTestEnvironment, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';

const env = useTestEnvironment();
let sandbox: SandboxGateway;
let gateway: RecordingGateway;
const http = useTestServer(() => (gateway = new RecordingGateway((sandbox = new SandboxGateway()))));

describe('concurrent payments for one order', () => {
  // Free-running, most requests find the payment already recorded; held at the gateway, all
  // 20 are inside the charge at once and then race on recording the payment.
  it.each([
    ['free-running', false],
    ['all 20 inside the charge at once', true],
  ])('20 simultaneous requests (%s): one payment, one payment.created, one charge', async (_name, hold) => {
    if (hold) gateway.holdUntil(20);
    const chargesBefore = sandbox.chargesMade;
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 42.5 })).id;
    const cookie = signin({ id: userId });

    const answers = await Promise.all(
      Array.from({ length: 20 }, () => request(http.server).post('/api/payments').set('Cookie', cookie).send({ orderId, token: 'tok_visa' })),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 400)).toBe(true);
    const payments = await Payment.find({ orderId }).lean();
    expect(payments).toHaveLength(1);
    const paymentId = String(payments[0]._id);
    // Every 201 names the one payment; every 400 says it is already paid.
    for (const a of answers) {
      if (a.status === 201) expect(a.body).toEqual({ id: paymentId });
      else expect(a.body.errors[0].message).toBe('Order has already been paid');
    }
    expect(statuses).toContain(201);

    // However many requests reached the gateway, they shared one idempotency key and the card
    // was charged once: one charge id, one real charge.
    const reached = gateway.requests.filter((r) => r.orderId === orderId);
    expect(new Set(reached.map((r) => r.idempotencyKey))).toEqual(new Set([`pi:${orderId}:0`]));
    const results = gateway.results.slice(gateway.results.length - reached.length);
    expect(new Set(results.map((r) => r.id))).toEqual(new Set([payments[0].stripeId]));
    expect(sandbox.chargesMade - chargesBefore).toBe(1);
    if (hold) expect(reached).toHaveLength(20); // the insert race really happened

    await outboxDrained();
    const events = await paymentEventsFor(env, orderId);
    expect(events).toHaveLength(1);
    expect(events[0].data).toEqual({ id: paymentId, orderId, stripeId: payments[0].stripeId });
  });
});
