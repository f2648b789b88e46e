import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { CURRENCY } from '../src/gateway';
import { Payment } from '../src/models';
import { paymentSweeper } from '../src/domain/payment-sweeper';
import { givenOrder, handled, intentsOf, orderDecided, outboxDrained, paymentEventsFor, paymentsTestOptions, testLogger, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
const http = useTestServer(env, { decisionWaitMs: 0 });
const RECHECK_MS = 10_000;
const sweeper = () => paymentSweeper({ gateway: gateway, logger: testLogger(), recheckAfterMs: RECHECK_MS, intervalSeconds: 0 });

/** What a request that died mid-call leaves: its pending attempt, `ageMs` old. */
async function crashedAttempt(orderId: string, { ageMs, token = 'tok_visa' }: { ageMs: number; token?: string }) {
  const statusAt = new Date(Date.now() - ageMs);
  return Payment.create({
    orderId,
    attempt: 0,
    idempotencyKey: `pi:${orderId}:0`,
    amountCents: 2000,
    currency: CURRENCY,
    token,
    status: 'pending',
    statusAt,
    createdAt: statusAt,
  });
}

describe('payment sweep (reconciliation)', () => {
  it('a request killed after the processor authorised, before it recorded: the sweep finds the hold and the order gets it, captured once', async () => {
    const orderId = (await givenOrder()).id;
    const held = await gateway.inner.authorize({ orderId, attempt: 0, amountCents: 2000, token: 'tok_visa', idempotencyKey: `pi:${orderId}:0` });
    const pending = await crashedAttempt(orderId, { ageMs: 60_000 });

    expect(await sweeper().sweep()).toBe(1);
    const payment = (await Payment.findById(pending._id).lean())!;
    expect(payment).toMatchObject({ status: 'authorized', stripeId: held.id, acceptedFor: pending.orderId });
    await eventually(async () => (await paymentEventsFor(env, orderId)).length === 1);

    const completed = await orderDecided(env, orderId, 'completed', 2);
    await handled(env, 'order.completed', completed.seq);
    expect((await Payment.findById(pending._id).lean())!.status).toBe('captured');
    expect(await intentsOf(orderId)).toEqual({ succeeded: 1 });
  });

  it('leaves a fresh pending attempt alone (its request may still be running)', async () => {
    const orderId = (await givenOrder()).id;
    await crashedAttempt(orderId, { ageMs: 0 });
    expect(await sweeper().sweep()).toBe(0);
    expect(gateway.authorizations(orderId)).toEqual([]);
    expect((await Payment.findOne({ orderId }).lean())!.status).toBe('pending');
  });

  it('a crashed attempt whose order is then cancelled: order.cancelled re-issues it and releases the hold at once', async () => {
    const orderId = (await givenOrder()).id;
    await gateway.inner.authorize({ orderId, attempt: 0, amountCents: 2000, token: 'tok_visa', idempotencyKey: `pi:${orderId}:0` });
    const pending = await crashedAttempt(orderId, { ageMs: 60_000 });
    const cancelled = await orderDecided(env, orderId, 'cancelled', 2);
    await handled(env, 'order.cancelled', cancelled.seq);
    expect((await Payment.findById(pending._id).lean())!.status).toBe('voided');
    expect(await intentsOf(orderId)).toEqual({ canceled: 1 });
  });

  it('a crashed attempt the processor declined: failed, and the order moves to its next attempt', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    await crashedAttempt(orderId, { ageMs: 60_000, token: 'tok_chargeDeclined' });
    await sweeper().sweep();
    expect((await Payment.findOne({ orderId }).lean())!).toMatchObject({ status: 'failed', failure: 'Your card was declined.' });
    await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId, token: 'tok_visa' }).expect(202);
    expect(gateway.authorizations(orderId).map((r) => r.idempotencyKey)).toEqual([`pi:${orderId}:0`, `pi:${orderId}:1`]);
  });

  it('a capture that meets a processor outage is retried by the listener until it is done', async () => {
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId })).id;
    await request(http.server).post('/api/payments').set('Cookie', signin({ id: userId })).send({ orderId, token: 'tok_visa' }).expect(202);
    gateway.inner.failNextCalls(2);
    const completed = await orderDecided(env, orderId, 'completed', 2);
    await handled(env, 'order.completed', completed.seq);
    const payment = (await Payment.findOne({ orderId }).lean())!;
    expect(payment.status).toBe('captured');
    expect(gateway.callsOn('capture', payment.stripeId!)).toBeGreaterThanOrEqual(3);
    expect(await intentsOf(orderId)).toEqual({ succeeded: 1 });
  });

  it('runs as a background task: started, it settles by itself; stopped, it is idle', async () => {
    const orderId = (await givenOrder()).id;
    const pending = await crashedAttempt(orderId, { ageMs: 60_000 });
    const task = paymentSweeper({ gateway: gateway, logger: testLogger(), recheckAfterMs: RECHECK_MS, intervalSeconds: 0.2 });
    task.start();
    try {
      await eventually(async () => (await Payment.findById(pending._id).lean())!.status === 'authorized');
    } finally {
      await task.stop();
    }
    await outboxDrained();
    expect(await paymentEventsFor(env, orderId)).toHaveLength(1);
  });
});
