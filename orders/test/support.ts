import { startEventRuntime, type EventRuntime } from '@ticketing/common';
import {
  connectTestJetStream,
  randomObjectId,
  startNatsServer,
  storedEvents,
  testSessionKeys,
  useTestDatabase,
  type EventPublisher,
  type NatsTestServer,
  type StoredEvent,
  type TestJetStream,
} from '@ticketing/dev-servers';
import pino from 'pino';
import { createApp, type OrdersAppDeps } from '../src/app';
import { orderListeners } from '../src/events/listeners';
import { DEFAULT_ORDER_POLICY, type OrderPolicy } from '../src/lifecycle/order-policy';
import { Order } from '../src/models/order';
import { Ticket } from '../src/models/ticket';
import { WaitlistEntry } from '../src/models/waitlist-entry';

export type LogLine = { level: string; msg: string; [key: string]: unknown };

export interface OrdersTestEnv {
  nats: NatsTestServer;
  /** The admin's connection: reads streams and consumers back. */
  bus: TestJetStream;
  /** Publishes other services' events, each as its owner (the catalog's NATS user). */
  publisher: EventPublisher;
  /** The orders service's event side (listeners + outbox relay) in this process. */
  runtime: EventRuntime;
  /** What the event side logged, parsed. */
  logs: LogLine[];
}

/** A logger whose JSON lines land in `lines`. */
export function captureLogger(lines: LogLine[]) {
  return pino(
    { level: 'debug', formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
}

/**
 * This test file's database (emptied before each test), a real nats-server with the
 * catalog's streams, and the orders service's listeners and outbox relay running on them;
 * `policy`: the order rules of the handovers the listeners run (expiry, refused reservation).
 */
export function useOrdersTestEnv(prefix = 'orders', policy: Partial<OrderPolicy> = {}): OrdersTestEnv {
  const env = { logs: [] as LogLine[] } as OrdersTestEnv;
  // Hooks run in the order they are declared: stop the event side before the database goes.
  afterAll(async () => {
    await env.runtime?.stop();
    await env.bus?.close();
    await env.nats?.destroy();
  });
  useTestDatabase(prefix);
  beforeAll(async () => {
    env.nats = await startNatsServer();
    env.bus = await connectTestJetStream(env.nats);
    env.publisher = env.bus.ownersPublisher;
    const orders = await env.bus.as('orders');
    env.runtime = await startEventRuntime({
      service: 'orders',
      js: orders.js,
      jsm: orders.jsm,
      logger: captureLogger(env.logs),
      // The waitlist's orders follow `policy` (the app's own options are given to testApp).
      listeners: orderListeners({ ...DEFAULT_ORDER_POLICY, ...policy, logger: captureLogger(env.logs) }),
      outbox: [Order, WaitlistEntry],
      listenerOptions: { retryDelayMs: 50, maxRetryDelayMs: 500, ackWaitMs: 2_000 },
      outboxPollIntervalMs: 200,
    });
  });
  return env;
}

export function testApp(deps: Partial<OrdersAppDeps> = {}) {
  return createApp({ logger: pino({ level: 'silent' }), sessionKeys: testSessionKeys(), logRequests: false, ...deps });
}

/** A ticket in the orders service's replica, owned by someone else unless `userId` says so. */
export async function seedTicket(over: { id?: string; title?: string; price?: number; userId?: string; version?: number } = {}) {
  const ticket = await Ticket.create({
    _id: over.id ?? randomObjectId(),
    title: over.title ?? 'Concert',
    price: over.price ?? 20,
    userId: over.userId ?? randomObjectId(),
    version: over.version ?? 0,
  });
  return { id: String(ticket._id), title: ticket.title, price: ticket.price, userId: ticket.userId };
}

type OrderEventData = { id: string; version: number; ticket: { id: string } };

/** Events stored on JetStream under `subject` about order `orderId`. */
export async function orderEvents(env: OrdersTestEnv, subject: string, orderId: string): Promise<StoredEvent<OrderEventData>[]> {
  return (await storedEvents<OrderEventData>(env.bus.jsm, subject)).filter((e) => e.data.id === orderId);
}

/** Every outbox entry has been published (and cleared). */
export async function outboxDrained(): Promise<boolean> {
  const pending = { 'outbox.0': { $exists: true } };
  return (await Order.countDocuments(pending)) + (await WaitlistEntry.countDocuments(pending)) === 0;
}
