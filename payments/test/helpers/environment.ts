import http from 'node:http';
import { createLogger, durableName, OrderStatus, Subjects, streamForSubject, type EventData, type EventSubject } from '@ticketing/common';
import { eventually, randomObjectId, storedEvents, type ServiceTestEnv, type ServiceTestEnvOptions } from '@ticketing/dev-servers';
import { SandboxIntent } from '../../src/gateway';
import { Order, Payment, type OrderReplica } from '../../src/models';
import type { PaymentsResources } from '../../src/service';
import type { RecordingGateway } from './recording-gateway';

export const TEST_WEBHOOK_SECRET = 'whsec_test_secret_for_payments_tests';
export const testLogger = () => createLogger('payments-test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** What these helpers read of a test environment: the admin's connection and the owners' publisher. */
type EventsEnv = Pick<ServiceTestEnv<unknown, object>, 'bus' | 'publisher'>;
type PaymentsTestEnv = Pick<ServiceTestEnv<unknown, PaymentsResources>, 'app'>;

/**
 * useServiceTestEnv(paymentsService, …) options for these tests: the file's database, the
 * webhook secret the tests sign with, no rate limit unless a test sets one, and `gateway` (the
 * offline sandbox, every call recorded) shared by the listeners, the sweep and the HTTP app.
 */
export function paymentsTestOptions(gateway: RecordingGateway, env: Record<string, string> = {}): ServiceTestEnvOptions<PaymentsResources> {
  return {
    database: 'payments',
    env: { STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, RATE_LIMIT_PAYMENTS_PER_MIN: '0', ...env },
    listenerOptions: { retryDelayMs: 100, maxRetryDelayMs: 1_000 },
    resources: () => ({ gateway }),
  };
}

/** An HTTP server around the app (one for the file, so concurrent requests really overlap). */
export function useTestServer(env: PaymentsTestEnv, options: { decisionWaitMs?: number } = {}): { server: http.Server } {
  const holder = {} as { server: http.Server };
  beforeAll(async () => {
    holder.server = http.createServer(env.app({ resources: options.decisionWaitMs === undefined ? {} : { decisionWaitMs: options.decisionWaitMs } }));
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
export async function paymentEventsFor<S extends PaymentSubject = 'payment.created'>(env: EventsEnv, orderId: string, subject?: S) {
  const events = await storedEvents<EventData<S>>(env.bus.jsm, subject ?? 'payment.created');
  return events.filter((e) => e.data.orderId === orderId);
}

/** Publishes the orders service's decision for the order at `version` (order.completed / order.cancelled). */
export async function orderDecided(env: EventsEnv, orderId: string, decision: 'completed' | 'cancelled', version: number) {
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
export async function handled(env: EventsEnv, subject: EventSubject, seq: number): Promise<void> {
  await eventually(async () => {
    const info = await env.bus.jsm.consumers.info(streamForSubject(subject), durableName('payments', subject));
    return info.ack_floor.stream_seq >= seq;
  });
}

/** Waits until the consumer for `subject` has delivered the message at `seq` at least once. */
export async function delivered(env: EventsEnv, subject: EventSubject, seq: number): Promise<void> {
  await eventually(async () => {
    const info = await env.bus.jsm.consumers.info(streamForSubject(subject), durableName('payments', subject));
    return info.delivered.stream_seq >= seq;
  });
}

/** An order id the orders service can never have minted (stamped in 2001): unknown ids answer 404 at once. */
export function neverMintedOrderId(): string {
  return `3b000000${randomObjectId().slice(8)}`;
}
