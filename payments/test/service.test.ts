import path from 'node:path';
import { OrderStatus, Publisher, Subjects } from '@ticketing/common';
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
  type TestServer,
} from '@ticketing/common/testing';
import mongoose from 'mongoose';

/** The real entry point (src/index.ts) wired by runService: HTTP, listeners, outbox relay. */
let nats: TestServer;
let bus: TestJetStream;
let service: ManagedProcess;
let base: string;
const dbName = uniqueDbName('payments_service');

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await connectTestJetStream(nats.url);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  service = spawnServer(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'index.ts')], {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...testSessionEnv(),
    NATS_URL: nats.url,
    MONGO_URL: `${testMongoUrl()}/${dbName}`,
    LOG_LEVEL: 'warn',
    STRIPE_KEY: '',
  });
  await eventually(async () => (await fetch(`${base}/readyz`)).status === 200, { timeoutMs: 30_000 }).catch((err) => {
    throw new Error(`payments did not become ready: ${(err as Error).message}\n${service.output()}`);
  });
});
afterAll(async () => {
  await service?.stop();
  await bus?.close();
  await nats?.destroy();
  const conn = await mongoose.createConnection(testMongoUrl(), { dbName }).asPromise();
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
});

describe('payments service process', () => {
  it('replicates an order from order.created, takes its payment and publishes payment.created', async () => {
    const userId = randomObjectId();
    const orderId = randomObjectId();
    await new Publisher(bus.js).publish(Subjects.OrderCreated, {
      id: orderId,
      version: 0,
      status: OrderStatus.Created,
      userId,
      expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      ticket: { id: randomObjectId(), price: 25.5 },
    });
    // The tickets service holds the ticket for it (orders confirms): now it can be paid.
    await new Publisher(bus.js).publish(Subjects.OrderAwaitingPayment, { id: orderId, version: 1, ticket: { id: randomObjectId() } });

    // 404 until the replica has the order.
    const paid = await eventually(async () => {
      const res = await fetch(`${base}/api/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: signin({ id: userId }).join('; ') },
        body: JSON.stringify({ orderId, token: 'tok_visa' }),
      });
      return res.status === 201 ? ((await res.json()) as { id: string }) : undefined;
    });

    const events = await eventually(async () => {
      const found = (await storedEvents<{ id: string; orderId: string }>(bus.jsm, 'payment.created')).filter((e) => e.data.orderId === orderId);
      return found.length ? found : undefined;
    });
    expect(events!.map((e) => e.data.id)).toEqual([paid!.id]);
  });

  it('stops cleanly on SIGTERM', async () => {
    await service.stop('SIGTERM', 15_000);
    expect(service.child.exitCode).toBe(0);
  });
});
