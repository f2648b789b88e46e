import path from 'node:path';
import { OrderStatus, Subjects } from '@ticketing/common';
import {
  connectTestJetStream,
  eventually,
  freePort,
  randomObjectId,
  signin,
  spawnServer,
  startNatsServer,
  storedEvents,
  testSessionEnv,
  testMongoUrl,
  uniqueDbName,
  type ManagedProcess,
  type TestJetStream,
  type NatsTestServer,
} from '@ticketing/dev-servers';
import mongoose from 'mongoose';

/** The real entry point (src/index.ts) wired by runService: HTTP, listeners, outbox relay, sweep. */
let nats: NatsTestServer;
let bus: TestJetStream;
let db: mongoose.Connection;
const dbName = uniqueDbName('payments_service');

async function startService(extraEnv: NodeJS.ProcessEnv = {}): Promise<{ service: ManagedProcess; base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const service = spawnServer(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'index.ts')], {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...testSessionEnv(),
    NATS_URL: nats.url,
    NATS_USER: 'payments',
    NATS_PASSWORD: nats.credentials('payments').pass,
    MONGO_URL: `${testMongoUrl()}/${dbName}`,
    LOG_LEVEL: 'warn',
    STRIPE_KEY: '',
    ...extraEnv,
  });
  await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, { timeoutMs: 60_000 }).catch((err) => {
    throw new Error(`payments did not become ready: ${(err as Error).message}\n${service.output()}`);
  });
  return { service, base };
}

/** An order as the orders service announces it, confirmed by the tickets service: payable. */
async function payableOrder(userId: string): Promise<string> {
  const orderId = randomObjectId();
  const publisher = bus.ownersPublisher;
  await publisher.publish(Subjects.OrderCreated, {
    id: orderId,
    version: 0,
    status: OrderStatus.Created,
    userId,
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    ticket: { id: randomObjectId(), price: 25.5 },
  });
  await publisher.publish(Subjects.OrderAwaitingPayment, { id: orderId, version: 1, ticket: { id: randomObjectId() } });
  return orderId;
}

const pay = (base: string, userId: string, orderId: string) =>
  fetch(`${base}/api/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: signin({ id: userId }).join('; ') },
    body: JSON.stringify({ orderId, token: 'tok_visa' }),
  });

async function eventsFor(subject: string, orderId: string) {
  return (await storedEvents<{ id: string; orderId: string }>(bus.jsm, subject)).filter((e) => e.data.orderId === orderId);
}

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await connectTestJetStream(nats);
  db = await mongoose.createConnection(testMongoUrl(), { dbName }).asPromise();
});
afterAll(async () => {
  await bus?.close();
  await nats?.destroy();
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
});

describe('payments service process', () => {
  let running: { service: ManagedProcess; base: string };
  beforeAll(async () => {
    running = await startService();
  });
  afterAll(async () => {
    await running?.service.stop();
  });

  it('replicates an order, authorises its payment (payment.created), and captures it on order.completed: 201', async () => {
    const userId = randomObjectId();
    const orderId = await payableOrder(userId);
    // 404 until the replica has the order; then the request waits for the order's decision.
    const answer = eventually(async () => {
      const res = await pay(running.base, userId, orderId);
      return res.status === 404 ? undefined : { status: res.status, body: (await res.json()) as { id: string; status: string } };
    });
    const created = await eventually(async () => (await eventsFor('payment.created', orderId))[0]);
    await bus.ownersPublisher.publish(Subjects.OrderCompleted, { id: orderId, version: 2, ticket: { id: randomObjectId() } });

    expect(await answer).toEqual({ status: 201, body: { id: created.data.id, status: 'captured' } });
    await eventually(async () => (await eventsFor('payment.captured', orderId)).length === 1);
  });

  it('stops cleanly on SIGTERM', async () => {
    await running.service.stop('SIGTERM', 15_000);
    expect(running.service.exitStatus).toBe(0);
  });
});

describe('killed while the processor answers (SANDBOX_PROCESSOR_DELAY_MS)', () => {
  const slow = { SANDBOX_PROCESSOR_DELAY_MS: '4000', PAYMENT_RECHECK_AFTER_SECONDS: '1', PAYMENT_SWEEP_INTERVAL_SECONDS: '1' };

  it('the processor authorised, the process died before recording it: after a restart the sweep settles it', async () => {
    let first: { service: ManagedProcess; base: string } | undefined = await startService(slow);
    let second: { service: ManagedProcess; base: string } | undefined;
    try {
      const userId = randomObjectId();
      const orderId = await payableOrder(userId);
      await eventually(async () => (await db.collection('orders').countDocuments({ _id: new mongoose.Types.ObjectId(orderId), status: 'awaiting:payment' })) === 1);
      const request = pay(first.base, userId, orderId).catch(() => undefined); // never answered
      // The sandbox has acted and stored the hold; its answer is still in the delay.
      await eventually(() => db.collection('sandbox_intents').findOne({ 'metadata.orderId': orderId }));
      await first.service.stop('SIGKILL');
      first = undefined;
      await request;
      expect(await db.collection('payments').findOne({ orderId: new mongoose.Types.ObjectId(orderId) })).toMatchObject({ status: 'pending' });

      second = await startService(slow);
      const created = await eventually(async () => (await eventsFor('payment.created', orderId))[0], { timeoutMs: 60_000 });
      const intent = (await db.collection('sandbox_intents').findOne({ 'metadata.orderId': orderId }))!;
      expect(created.data).toMatchObject({ orderId, stripeId: intent._id });

      await bus.ownersPublisher.publish(Subjects.OrderCompleted, { id: orderId, version: 2, ticket: { id: randomObjectId() } });
      await eventually(async () => (await eventsFor('payment.captured', orderId)).length === 1, { timeoutMs: 60_000 });
      expect(await db.collection('sandbox_intents').countDocuments({ 'metadata.orderId': orderId, status: 'succeeded' })).toBe(1);
    } finally {
      await first?.service.stop('SIGKILL');
      await second?.service.stop();
    }
  });
});
