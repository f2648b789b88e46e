import { OrderStatus, Subjects } from '@ticketing/common';
import { randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import { Types } from 'mongoose';
import request from 'supertest';
import { Payment } from '../src/models';
import { mayBeOrderOnItsWay } from '../src/domain/payable-order';
import { neverMintedOrderId, paymentsTestOptions, useTestServer } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));
const quick = useTestServer(env, { decisionWaitMs: 0 });

/** An id as the orders service mints one now. */
const freshOrderId = () => new Types.ObjectId().toHexString();
const pay = (cookie: string[], body: object) => request(quick.server).post('/api/payments').set('Cookie', cookie).send(body);

describe('paying an order the payments replica has not heard of yet', () => {
  it('waits for order.created delivered late, then pays: the first attempt works, no client retry', async () => {
    const userId = randomObjectId();
    const orderId = freshOrderId();
    const paying = pay(signin({ id: userId }), { orderId, token: 'tok_visa' }).then((r) => r);
    // The events arrive while the request is already waiting.
    setTimeout(() => {
      void (async () => {
        await env.publisher.publish(Subjects.OrderCreated, {
          id: orderId,
          version: 0,
          status: OrderStatus.Created,
          userId,
          expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
          ticket: { id: randomObjectId(), price: 20 },
        });
        await env.publisher.publish(Subjects.OrderAwaitingPayment, { id: orderId, version: 1, ticket: { id: randomObjectId() } });
      })();
    }, 300);
    const res = await paying;
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'authorized' });
    expect(await Payment.countDocuments({ orderId })).toBe(1);
  });

  it('answers 503 with Retry-After (never 404) when the order has still not arrived after the wait', async () => {
    const orderId = freshOrderId();
    const res = await pay(signin(), { orderId, token: 'tok_visa' });
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/not reached the payments service yet/) }] });
    expect(await Payment.countDocuments({ orderId })).toBe(0);
  });

  it('answers 404 at once for an id no order can have: stamped far in the past or in the future', async () => {
    const future = `ff000000${randomObjectId().slice(8)}`;
    for (const orderId of [neverMintedOrderId(), future]) {
      expect(mayBeOrderOnItsWay(orderId)).toBe(false);
      const res = await pay(signin(), { orderId, token: 'tok_visa' });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Order not found' }] });
    }
    expect(mayBeOrderOnItsWay(freshOrderId())).toBe(true);
  });
});
