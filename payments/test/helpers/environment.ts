import http from 'node:http';
import {
  createLogger,
  durableName,
  OrderStatus,
  Subjects,
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
  type EventPublisher,
  type NatsTestServer,
} from '@ticketing/dev-servers';
import { createApp } from '../../src/app';
import { orderListeners } from '../../src/events/listeners';
import { SandboxGateway, SandboxIntent, type SandboxGatewayOptions } from '../../src/gateway';
import { Order, Payment, type OrderReplica } from '../../src/models';
import { RecordingGateway } from './recording-gateway';

export const TEST_WEBHOOK_SECRET = 'whsec_test_secret_for_payments_tests';
export const testLogger = () => createLogger('payments-test', process.env.TEST_LOG_LEVEL ?? 'silent');

export interface TestEnvironment {
  nats: NatsTestServer;
  /** The admin's connection: reads streams and consumers back. */
  bus: TestJetStream;
  runtime: EventRuntime;
  /** Publishes other services' events, each as its owner (the catalog's NATS user). */
  publisher: EventPublisher;
  /** The processor of this file (the offline sandbox, every call recorded), shared by the listeners and the HTTP app. */
  gateway: RecordingGateway;
}

export interface TestEnvironmentOptions {
  /** The sandbox's options, e.g. a processor delay. */
  sandbox?: SandboxGatewayOptions;
  /** PAYMENT_RECHECK_AFTER_SECONDS in ms for the listeners (default 10 s, as in production). */
  recheckAfterMs?: number;
}

/**
 * A test file's world: its own database, a real JetStream server, and the service's event
 * side (order listeners + the Payment outbox relay) running against them, with one sandbox
 * gateway. Stopped before the database goes away.
 */
export function useTestEnvironment(options: TestEnvironmentOptions = {}): TestEnvironment {
  const env = { gateway: new RecordingGateway(new SandboxGateway(options.sandbox)) } as TestEnvironment;
  afterAll(async () => {
    await env.runtime?.stop();
    await env.bus?.close();
    await env.nats?.destroy();
  });
  useTestDatabase('payments');
  beforeAll(async () => {
    env.nats = await startNatsServer();
    env.bus = await connectTestJetStream(env.nats);
    env.publisher = env.bus.ownersPublisher;
    const payments = await env.bus.as('payments');
    env.runtime = await startEventRuntime({
      service: 'payments',
      js: payments.js,
      jsm: payments.jsm,
      logger: env.bus.logger,
      listeners: orderListeners({ gateway: env.gateway, recheckAfterMs: options.recheckAfterMs ?? 10_000 }),
      outbox: [Payment],
      outboxPollIntervalMs: 200,
      listenerOptions: { retryDelayMs: 100, maxRetryDelayMs: 1_000 },
    });
  });
  return env;
}

/** An HTTP server around the app (one for the file, so concurrent requests really overlap), on the environment's gateway. */
export function useTestServer(
  env: TestEnvironment,
  options: { decisionWaitMs?: number; recheckAfterMs?: number } = {},
): { server: http.Server } {
  const holder = {} as { server: http.Server };
  beforeAll(async () => {
    const app = createApp({
      logger: testLogger(),
      sessionKeys: testSessionKeys(),
      gateway: env.gateway,
      webhookSecret: TEST_WEBHOOK_SECRET,
      logRequests: false,
      decisionWaitMs: options.decisionWaitMs,
      recheckAfterMs: options.recheckAfterMs,
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

type PaymentSubject = 'payment.created' | 'payment.captured' | 'payment.voided' | 'payment.refunded';

/** `subject` events (payment.created by default) stored on JetStream for `orderId`. */
export async function paymentEventsFor<S extends PaymentSubject = 'payment.created'>(env: TestEnvironment, orderId: string, subject?: S) {
  const events = await storedEvents<EventData<S>>(env.bus.jsm, subject ?? 'payment.created');
  return events.filter((e) => e.data.orderId === orderId);
}

/** Publishes the orders service's decision for the order at `version` (order.completed / order.cancelled). */
export async function orderDecided(env: TestEnvironment, orderId: string, decision: 'completed' | 'cancelled', version: number) {
  const subject = decision === 'completed' ? Subjects.OrderCompleted : Subjects.OrderCancelled;
  return env.publisher.publish(subject, { id: orderId, version, ticket: { id: randomObjectId() } });
}

/** The sandbox's intents for the order, by status: what a card statement would show. */
export async function intentsOf(orderId: string): Promise<Record<string, number>> {
  const intents = await SandboxIntent.find({ 'metadata.orderId': orderId }, { status: 1 }).lean();
  const counts: Record<string, number> = {};
  for (const i of intents) counts[i.status] = (counts[i.status] ?? 0) + 1;
  return counts;
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

/** An order id the orders service can never have minted (stamped in 2001): unknown ids answer 404 at once. */
export function neverMintedOrderId(): string {
  return `3b000000${randomObjectId().slice(8)}`;
}
