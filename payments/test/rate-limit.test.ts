import { randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { neverMintedOrderId, paymentsTestOptions } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';
import { SandboxGateway } from '../src/gateway';
import { paymentsService } from '../src/service';

const gateway = new RecordingGateway(new SandboxGateway());
const env = useServiceTestEnv(paymentsService, paymentsTestOptions(gateway));

const appWith = (paymentsPerMinute: number) => env.app({ env: { RATE_LIMIT_PAYMENTS_PER_MIN: String(paymentsPerMinute) } });
const pay = (app: ReturnType<typeof appWith>, cookie: string[]) =>
  request(app).post('/api/payments').set('Cookie', cookie).send({ orderId: neverMintedOrderId(), token: 'tok_visa' });

describe('payment creation rate limit (RATE_LIMIT_PAYMENTS_PER_MIN)', () => {
  it('the N+1th payment attempt of a user within a minute is a 429 with Retry-After; other users are unaffected', async () => {
    const app = appWith(3);
    const payer = signin({ id: randomObjectId() });
    for (let i = 0; i < 3; i++) await pay(app, payer).expect(404);
    const res = await pay(app, payer).expect(429);
    expect(res.body).toEqual({ errors: [{ message: expect.stringMatching(/too many/i) }] });
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    await pay(app, signin({ id: randomObjectId() })).expect(404);
  });

  it('counts in MongoDB, so replicas share one budget per user', async () => {
    const [a, b] = [appWith(2), appWith(2)];
    const payer = signin({ id: randomObjectId() });
    await pay(a, payer).expect(404);
    await pay(b, payer).expect(404);
    await pay(a, payer).expect(429);
    await pay(b, payer).expect(429);
  });

  it('0 turns the limit off', async () => {
    const app = appWith(0);
    const payer = signin({ id: randomObjectId() });
    for (let i = 0; i < 15; i++) await pay(app, payer).expect(404);
  });
});
