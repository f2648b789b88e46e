import { eventually, randomObjectId, signin, sleep, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Payment } from '../src/models';
import { paymentSweeper } from '../src/domain/payment-sweeper';
import { givenOrder, intentsOf, orderDecided, outboxDrained, paymentEventsFor, paymentsTestOptions, testLogger, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

// A slow processor, so that cancellations land before, during and after the authorisation.
const gateway = new RecordingGateway(new SandboxGateway({ delayMs: 60 }));
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
const http = useTestServer(env, { decisionWaitMs: 200 });
const ROUNDS = 40;

describe('order.cancelled racing the payment', () => {
  it(`${ROUNDS} orders, each cancelled at a random moment of its payment: never captured, no hold left`, async () => {
    const orders = await Promise.all(
      Array.from({ length: ROUNDS }, async () => {
        const userId = randomObjectId();
        return { userId, id: (await givenOrder({ userId })).id };
      }),
    );
    const answers = await Promise.all(
      orders.map(async (o, i) => {
        const paying = request(http.server).post('/api/payments').set('Cookie', signin({ id: o.userId })).send({ orderId: o.id, token: 'tok_visa' })
          .then((r) => r); // sent now (supertest sends on then)
        // Cancelled: right away, once the attempt is recorded (the processor is working), a
        // little later (the processor has acted or is answering), or once it is authorised.
        const moment = i % 4;
        if (moment > 0) await eventually(() => Payment.exists({ orderId: o.id }), { intervalMs: 5 }).catch(() => undefined);
        if (moment === 2) await sleep(20 + (i % 5) * 10);
        if (moment === 3) await eventually(() => Payment.exists({ orderId: o.id, status: 'authorized' }), { intervalMs: 5 }).catch(() => undefined);
        await orderDecided(env, o.id, 'cancelled', 2);
        return (await paying).status;
      }),
    );
    // 202 authorised (the cancellation came after), 400 cancelled before it or while it waited.
    expect(answers.filter((s) => s !== 202 && s !== 400)).toEqual([]);

    // Whatever the listeners and the requests left (a cancellation applied before a hold was
    // recorded), the sweep finishes.
    const sweeper = paymentSweeper({ gateway: gateway, logger: testLogger(), recheckAfterMs: 0, intervalSeconds: 0 });
    for (let round = 0; round < 50 && (await Payment.exists({ status: { $nin: ['voided', 'failed'] } })); round++) {
      await sweeper.sweep();
      await sleep(100);
    }
    await outboxDrained();
    for (const o of orders) {
      const intents = await intentsOf(o.id);
      expect([o.id, intents.requires_capture ?? 0, intents.succeeded ?? 0]).toEqual([o.id, 0, 0]);
      const payments = await Payment.find({ orderId: o.id }).lean();
      expect(payments.filter((p) => p.status !== 'voided' && p.status !== 'failed')).toEqual([]);
      // Orders heard of the hold (payment.created) ⇒ orders hears it was released.
      const created = (await paymentEventsFor(env, o.id)).length;
      expect([o.id, (await paymentEventsFor(env, o.id, 'payment.voided')).length]).toEqual([o.id, created]);
    }
    expect(answers.filter((s) => s === 202).length + answers.filter((s) => s === 400).length).toBe(ROUNDS);
  });
});
