import { AckPolicy, connect, DeliverPolicy, JSONCodec, type NatsConnection } from 'nats';
import {
  ALL_SUBJECTS,
  defineListener,
  ensureServiceStreams,
  EVENT_ROUTES,
  ListenerRunner,
  natsAuthOptions,
  Publisher,
  OBSERVERS,
  SERVICES,
  startEventRuntime,
  STREAMS,
  streamForSubject,
  Subjects,
  subjectsConsumedBy,
  type EventData,
} from '../src';
import { connectTestJetStream, eventually, randomObjectId, startNatsServer, storedEvents, useTestJetStream } from '@ticketing/dev-servers';

const jet = useTestJetStream();

const payment = (): EventData<'payment.created'> => ({ id: randomObjectId(), orderId: randomObjectId(), stripeId: 'pi_1', version: 0 });
const ticket = (): EventData<'ticket.created'> => ({ id: randomObjectId(), version: 0, title: 'concert', price: 10, userId: 'u1' });
const messagesOn = async (stream: string) => (await jet.bus.jsm.streams.info(stream)).state.messages;

describe('the event catalog', () => {
  it('names an owner for every subject, and one owner per stream', () => {
    expect(Object.keys(EVENT_ROUTES).sort()).toEqual([...ALL_SUBJECTS].sort());
    for (const stream of Object.keys(STREAMS).filter((s) => s !== 'DEADLETTER')) {
      const owners = new Set(ALL_SUBJECTS.filter((s) => streamForSubject(s) === stream).map((s) => EVENT_ROUTES[s].owner));
      expect([stream, owners.size]).toEqual([stream, 1]);
    }
  });

  it('startEventRuntime refuses a listener the catalog does not list for the service', async () => {
    const tickets = await jet.bus.as('tickets');
    const listener = defineListener({ subject: Subjects.PaymentCreated, handle: async () => undefined });
    await expect(
      startEventRuntime({ service: 'tickets', js: tickets.js, jsm: tickets.jsm, logger: tickets.logger, listeners: [listener] }),
    ).rejects.toThrow(/tickets listens to payment\.created, which the event catalog/);
  });
});

describe('NATS users and permissions', () => {
  it('refuses a client without credentials, or with a wrong password', async () => {
    await expect(connect({ servers: jet.nats.url, reconnect: false, timeout: 5_000 })).rejects.toThrow(/Authorization Violation/i);
    await expect(
      connect({ servers: jet.nats.url, reconnect: false, timeout: 5_000, user: 'payments', pass: 'guessed' }),
    ).rejects.toThrow(/Authorization Violation/i);
  });

  it("the tickets service's credentials cannot publish payment.created: refused, nothing stored", async () => {
    const tickets = await jet.bus.as('tickets');
    const before = await messagesOn('PAYMENTS');
    const event = payment();
    await expect(new Publisher(tickets.js, 5_000).publish(Subjects.PaymentCreated, event)).rejects.toThrow(
      /Permissions Violation for Publish to "payment\.created"/,
    );
    // Nor through core NATS, without waiting for an ack.
    tickets.nc.publish('payment.created', new TextEncoder().encode(JSON.stringify(event)));
    await tickets.nc.flush();
    expect(await messagesOn('PAYMENTS')).toBe(before);
    expect((await storedEvents<{ id: string }>(jet.bus.jsm, 'payment.created')).some((e) => e.data.id === event.id)).toBe(false);
    // …while the owner may.
    await jet.bus.ownersPublisher.publish(Subjects.PaymentCreated, event);
    expect(await messagesOn('PAYMENTS')).toBe(before + 1);
  });

  it('no service may publish an event it does not own', async () => {
    for (const service of SERVICES) {
      const bus = await jet.bus.as(service);
      for (const subject of ALL_SUBJECTS.filter((s) => EVENT_ROUTES[s].owner !== service)) {
        await expect(bus.js.publish(subject, new Uint8Array(), { timeout: 5_000 })).rejects.toThrow(/Permissions Violation/);
      }
    }
  });

  it('a service cannot create a consumer for a subject it does not consume', async () => {
    const tickets = await jet.bus.as('tickets');
    const runner = new ListenerRunner(tickets.js, tickets.jsm, { service: 'tickets', logger: tickets.logger });
    await expect(runner.ensureConsumer(Subjects.PaymentCreated)).rejects.toThrow(/Permissions Violation/);
    // Its own consumer's name with a wider filter: the server checks the filter against the API subject.
    const request = {
      stream_name: 'ORDERS',
      config: { durable_name: 'tickets-order-created', filter_subject: 'order.>', ack_policy: 'explicit' },
    };
    const reply = await tickets.nc.request(
      '$JS.API.CONSUMER.CREATE.ORDERS.tickets-order-created.order.created',
      new TextEncoder().encode(JSON.stringify(request)),
      { timeout: 5_000 },
    );
    expect(JSON.parse(new TextDecoder().decode(reply.data)).error?.description).toMatch(/did not match filtered subject/);
    // The old API (filter only in the payload) and ephemeral consumers are not allowed at all.
    for (const subject of ['$JS.API.CONSUMER.DURABLE.CREATE.ORDERS.tickets-order-created', '$JS.API.CONSUMER.CREATE.ORDERS']) {
      await expect(tickets.nc.request(subject, new TextEncoder().encode(JSON.stringify(request)), { timeout: 5_000 })).rejects.toThrow(
        /Permissions Violation/,
      );
    }
  });

  it('a service reads no other subscriber’s messages: no core subscriptions, no other inbox', async () => {
    const orders = await jet.bus.as('orders');
    for (const subject of ['payment.created', '_INBOX.>', '_INBOX_payments.>', '>']) {
      const nc = await connect({ servers: jet.nats.url, reconnect: false, ...natsAuthOptions(jet.nats.credentials('orders')) });
      const error = await subscriptionRefused(nc, subject);
      expect(error).toMatch(/Permissions Violation for Subscription/);
      expect(error).toContain(`"${subject}"`);
      await nc.close();
    }
    expect(orders.nc.isClosed()).toBe(false);
  });

  it('each service provisions its own streams and consumes exactly what the catalog lists, with its own user', async () => {
    for (const service of SERVICES) {
      const bus = await jet.bus.as(service);
      await ensureServiceStreams(bus.jsm, service);
      const runner = new ListenerRunner(bus.js, bus.jsm, { service, logger: bus.logger });
      for (const subject of subjectsConsumedBy(service)) await runner.ensureConsumer(subject);
    }
    // One end-to-end hop as the services run it: tickets publishes, orders' consumer receives.
    const orders = await jet.bus.as('orders');
    const seen: string[] = [];
    const runner = new ListenerRunner(orders.js, orders.jsm, { service: 'orders', logger: orders.logger, ackWaitMs: 2_000 });
    await runner.start([defineListener({ subject: Subjects.TicketCreated, handle: async (d) => void seen.push(d.id) })]);
    const event = ticket();
    await new Publisher((await jet.bus.as('tickets')).js).publish(Subjects.TicketCreated, event);
    await eventually(() => seen.includes(event.id));
    await runner.stop();
  });

  it('a consumer waits for the stream its owner creates (no service may create another’s stream)', async () => {
    const server = await startNatsServer();
    const orders = await connectTestJetStream(server, 'orders');
    const tickets = await connectTestJetStream(server, 'tickets');
    const runner = new ListenerRunner(orders.js, orders.jsm, { service: 'orders', logger: orders.logger, retryDelayMs: 50, ackWaitMs: 2_000 });
    try {
      await ensureServiceStreams(orders.jsm, 'orders');
      await expect(orders.jsm.streams.add({ name: 'TICKETS', subjects: ['ticket.>'] })).rejects.toThrow(/Permissions Violation/);
      const seen: string[] = [];
      const started = runner.start([defineListener({ subject: Subjects.TicketCreated, handle: async (d) => void seen.push(d.id) })]);
      await ensureServiceStreams(tickets.jsm, 'tickets');
      await started;
      const event = ticket();
      await new Publisher(tickets.js).publish(Subjects.TicketCreated, event);
      await eventually(() => seen.includes(event.id));
    } finally {
      await runner.stop();
      await Promise.all([orders.close(), tickets.close()]);
      await server.destroy();
    }
  });

  it('a service records dead letters under its own name only', async () => {
    const orders = await jet.bus.as('orders');
    await orders.js.publish('deadletter.orders.ticket.created', new TextEncoder().encode('{}'), { timeout: 5_000 });
    await expect(orders.js.publish('deadletter.payments.order.created', new Uint8Array(), { timeout: 5_000 })).rejects.toThrow(
      /Permissions Violation/,
    );
  });
});

describe('the live observer (read-only on the streams it watches)', () => {
  const request = async (bus: { nc: NatsConnection }, subject: string, body: object) =>
    JSON.parse(new TextDecoder().decode((await bus.nc.request(subject, new TextEncoder().encode(JSON.stringify(body)), { timeout: 5_000 })).data));

  it('reads each watched stream through an ephemeral consumer', async () => {
    const live = await jet.bus.as('live');
    const event = ticket();
    await jet.bus.ownersPublisher.publish(Subjects.TicketCreated, event);
    for (const stream of OBSERVERS.live) {
      const ci = await live.jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 30e9 });
      expect(ci.config.durable_name).toBeUndefined();
      if (stream !== 'TICKETS') continue;
      const seen: string[] = [];
      const messages = await live.js.consumers.getPullConsumerFor(ci).fetch({ max_messages: 100, expires: 2_000 });
      for await (const m of messages) seen.push(JSONCodec<{ id: string }>().decode(m.data).id);
      expect(seen).toContain(event.id);
    }
  });

  it('publishes no event, on any subject', async () => {
    const live = await jet.bus.as('live');
    for (const subject of ALL_SUBJECTS) {
      await expect(live.js.publish(subject, new Uint8Array(), { timeout: 5_000 })).rejects.toThrow(/Permissions Violation/);
    }
  });

  it('creates no durable consumer, and reads no service’s durable', async () => {
    const live = await jet.bus.as('live');
    // Through the durable API subjects: refused by the permissions.
    await expect(live.jsm.consumers.add('TICKETS', { durable_name: 'live-durable', ack_policy: AckPolicy.None })).rejects.toThrow(/Permissions Violation/);
    await expect(
      request(live, '$JS.API.CONSUMER.DURABLE.CREATE.TICKETS.live-durable', { stream_name: 'TICKETS', config: { durable_name: 'live-durable' } }),
    ).rejects.toThrow(/Permissions Violation/);
    // Through the ephemeral subject it may use: the server refuses a durable name there.
    const answer = await request(live, '$JS.API.CONSUMER.CREATE.TICKETS', { stream_name: 'TICKETS', config: { durable_name: 'live-durable', ack_policy: 'none' } });
    expect(answer.error?.description).toMatch(/ephemeral/i);
    expect((await jet.bus.jsm.consumers.list('TICKETS').next()).map((c) => c.name)).not.toContain('live-durable');
    // A service's durable: no pulling, no inspecting, no deleting.
    const orders = await jet.bus.as('orders');
    await new ListenerRunner(orders.js, orders.jsm, { service: 'orders', logger: orders.logger }).ensureConsumer(Subjects.TicketCreated);
    for (const api of ['MSG.NEXT', 'INFO', 'DELETE']) {
      await expect(request(live, `$JS.API.CONSUMER.${api}.TICKETS.orders-ticket-created`, { batch: 1 })).rejects.toThrow(/Permissions Violation/);
    }
    expect((await jet.bus.jsm.consumers.info('TICKETS', 'orders-ticket-created')).name).toBe('orders-ticket-created');
    // Nor any stream it does not watch, nor a stream change.
    await expect(live.jsm.consumers.add('EXPIRATION', { ack_policy: AckPolicy.None })).rejects.toThrow(/Permissions Violation/);
    await expect(live.jsm.streams.update('TICKETS', { max_age: 1e9 })).rejects.toThrow(/Permissions Violation/);
  });
});

/** The server's answer to a subscription: its permissions error, or "accepted" once a round trip passed without one. */
async function subscriptionRefused(nc: NatsConnection, subject: string): Promise<string> {
  const refused = new Promise<string>((resolve) => {
    nc.subscribe(subject, { callback: (err) => err && resolve(err.message) });
  });
  // The server reports a refused SUB before it answers the PING that follows it.
  let timer: NodeJS.Timeout | undefined;
  const accepted = nc.flush().then(() => new Promise<string>((resolve) => (timer = setTimeout(() => resolve('accepted'), 2_000))));
  try {
    return await Promise.race([refused, accepted]);
  } finally {
    clearTimeout(timer);
  }
}
