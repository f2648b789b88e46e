import { randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { SandboxIntent } from '../src/gateway';
import { Payment } from '../src/models';
import { paymentSweeper } from '../src/domain/payment-sweeper';
import { givenOrder, handled, intentsOf, orderDecided, outboxDrained, paymentEventsFor, paymentsTestOptions, testLogger, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
// Declines and 3-D Secure move the attempt's key while the others race, so several attempts (intents) compete.
const MIXED_CARDS = ['tok_chargeDeclined', 'tok_threeDSecure2Required', 'tok_visa', 'pm_card_chargeDeclined', 'pm_card_mastercard', 'pm_card_threeDSecure2Required'];
const http = useTestServer(env, { decisionWaitMs: 0 });

describe('concurrent payments for one order', () => {
  it.each([
    ['free-running, one card', 30, () => 'tok_visa', false, false],
    ['all 20 inside the processor at once, one card', 20, () => 'tok_visa', true, false],
    [
      'declined, 3-D Secure and good cards mixed, processor errors, late authentications',
      40,
      (i: number) => MIXED_CARDS[i % MIXED_CARDS.length],
      false,
      true,
    ],
  ])('%s (%d requests): at most one accepted, one capture, every other hold voided', async (_name, requests, card, hold, chaos) => {
    if (hold) gateway.holdUntil(requests);
    const userId = randomObjectId();
    const orderId = (await givenOrder({ userId, price: 42.5 })).id;
    const cookie = signin({ id: userId });

    if (chaos) {
      // Before the race: a 3-D Secure attempt the buyer abandons (for now), and an attempt whose
      // outcome is unknown (processor error): both move the key, both may still become holds.
      await request(http.server).post('/api/payments').set('Cookie', cookie).send({ orderId, token: 'tok_threeDSecure2Required' }).expect(202);
      gateway.inner.failNextCalls(1);
      await request(http.server).post('/api/payments').set('Cookie', cookie).send({ orderId, token: 'tok_visa' }).expect(503);
    }
    const answers = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        request(http.server).post('/api/payments').set('Cookie', cookie).send({ orderId, token: card(i) }),
      ),
    );
    // 202 authorised or requires_action, 400 already paid, 402 declined, 409 the attempt's key busy with another card, 503 processor error.
    expect(answers.filter((a) => ![202, 400, 402, 409, 503].includes(a.status)).map((a) => [a.status, a.body])).toEqual([]);
    expect(answers.filter((a) => a.status === 202).length).toBeGreaterThanOrEqual(1);

    const accepted = await Payment.find({ orderId, acceptedFor: { $exists: true } }).lean();
    expect(accepted).toHaveLength(1);
    if (!chaos) for (const a of answers.filter((x) => x.status === 202)) expect(a.body).toEqual({ id: expect.any(String), status: 'authorized' });
    if (hold) expect(gateway.authorizations(orderId)).toHaveLength(requests); // the race really happened

    const completed = await orderDecided(env, orderId, 'completed', 2);
    await handled(env, 'order.completed', completed.seq);
    if (chaos) {
      // Buyers finish 3-D Secure after the order completed, and the sweep re-issues the
      // attempts whose outcome was unknown: each becomes a hold, each must be released.
      for (const intent of await SandboxIntent.find({ 'metadata.orderId': orderId, status: 'requires_action' }).lean()) {
        await gateway.inner.completeAuthentication(intent._id);
      }
      await paymentSweeper({ gateway: gateway, logger: testLogger(), recheckAfterMs: 0, intervalSeconds: 0 }).sweep();
      expect((await intentsOf(orderId)).canceled).toBeGreaterThanOrEqual(2);
    }

    // One capture at the processor; no hold left behind.
    const intents = await intentsOf(orderId);
    expect(intents.succeeded).toBe(1);
    expect(intents.requires_capture ?? 0).toBe(0);
    const statuses = (await Payment.find({ orderId }).lean()).map((p) => p.status);
    expect(statuses.filter((s) => s === 'captured')).toHaveLength(1);
    expect(statuses.filter((s) => !['captured', 'voided', 'failed'].includes(s))).toEqual([]);
    expect(statuses.filter((s) => s === 'voided')).toHaveLength(intents.canceled ?? 0);

    await outboxDrained();
    expect(await paymentEventsFor(env, orderId)).toHaveLength(1);
    expect(await paymentEventsFor(env, orderId, 'payment.captured')).toHaveLength(1);
    expect((await paymentEventsFor(env, orderId))[0].data.id).toBe(String(accepted[0]._id));
  });
});
