import http from 'node:http';
import {
  createLogger,
  durableName,
  OrderStatus,
  Publisher,
  startEventRuntime,
  streamForSubject,
  type EventData,
  type EventRuntime,
  type EventSubject,
} from '@ticketing/common';
import {
  connectTestJetStream,
  eventually,
  randomObjectId,
  startNatsServer,
  storedEvents,
  testSessionKeys,
  useTestDatabase,
  type TestJetStream,
  type TestServer,
} from '@ticketing/common/testing';
import { createApp } from '../../src/app';
import { orderListeners } from '../../src/events/listeners';
import type { PaymentGateway } from '../../src/gateway';
import { Order, Payment, type OrderReplica } from '../../src/models';

export const TEST_WEBHOOK_SECRET = 'whsec_test_secret_for_payments_tests';
export const testLogger = () => createLogger('payments-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export interface TestEnvironment {
  nats: TestServer;
  bus: TestJetStream;
  runtime: EventRuntime;
  publisher: Publisher;
}

/**
 * A test file's world: its own database, a real JetStream server, and the service's event
 * side (order listeners + the Payment outbox relay) running against them. Stopped before
 * the database goes away.
 */
export function useTestEnvironment(): TestEnvironment {
  const env = {} as TestEnvironment;
  afterAll(async () => {
    await env.runtime?.stop();
    await env.bus?.close();
    await env.nats?.destroy();
  });
  useTestDatabase('payments');
  beforeAll(async () => {
    env.nats = await startNatsServer();
    env.bus = await connectTestJetStream(env.nats.url);
    env.publisher = new Publisher(env.bus.js);
    env.runtime = await startEventRuntime({
      service: 'payments',
      js: env.bus.js,
      jsm: env.bus.jsm,
      logger: env.bus.logger,
      listeners: orderListeners,
      outbox: [Payment],
      outboxPollIntervalMs: 200,
      listenerOptions: { retryDelayMs: 100, maxRetryDelayMs: 1_000 },
    });
  });
  return env;
}

/** An HTTP server around the app (one for the file, so concurrent requests really overlap). */
export function useTestServer(gateway: () => PaymentGateway): { server: http.Server } {
  const holder = {} as { server: http.Server };
  beforeAll(async () => {
    const app = createApp({
      logger: testLogger(),
      sessionKeys: testSessionKeys(),
      gateway: gateway(),
      webhookSecret: TEST_WEBHOOK_SECRET,
      logRequests: false,
    });
    holder.server = http.createServer(app);
    await new Promise<void>((resolve) => holder.server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => holder.server?.close(() => resolve()) ?? resolve());
  });
  return holder;
}

/** Puts an order straight into the replica, payable (as order.created and order.awaiting-payment would). */
export async function givenOrder(
  fields: Partial<Omit<OrderReplica, '_id'>> & { id?: string } = {},
): Promise<OrderReplica & { id: string }> {
  const { id = randomObjectId(), ...rest } = fields;
  const doc = await Order.create({
    _id: id,
    userId: randomObjectId(),
    status: OrderStatus.AwaitingPayment,
    price: 20,
    version: 1,
    expiresAt: new Date(Date.now() + 15 * 60_000),
    ...rest,
  });
  return { ...doc.toObject(), id: doc._id.toHexString() };
}

/** payment.created events stored on JetStream for `orderId`. */
export async function paymentEventsFor(env: TestEnvironment, orderId: string) {
  const events = await storedEvents<EventData<'payment.created'>>(env.bus.jsm, 'payment.created');
  return events.filter((e) => e.data.orderId === orderId);
}

/** Waits until the relay has published every pending outbox entry. */
export async function outboxDrained(): Promise<void> {
  await eventually(async () => (await Payment.countDocuments({ 'outbox.0': { $exists: true } })) === 0);
}

/** Waits until our durable consumer for `subject` has acked the message at stream `seq`. */
export async function handled(env: TestEnvironment, subject: EventSubject, seq: number): Promise<void> {
  await eventually(async () => {
    const info = await env.bus.jsm.consumers.info(streamForSubject(subject), durableName('payments', subject));
    return info.ack_floor.stream_seq >= seq;
  });
}

/** Waits until the consumer for `subject` has delivered the message at `seq` at least once. */
export async function delivered(env: TestEnvironment, subject: EventSubject, seq: number): Promise<void> {
  await eventually(async () => {
    const info = await env.bus.jsm.consumers.info(streamForSubject(subject), durableName('payments', subject));
    return info.delivered.stream_seq >= seq;
  });
}
