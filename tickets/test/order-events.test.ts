import { OrderStatus, Subjects, type EventData } from '@ticketing/common';
import { eventually, randomObjectId, signin, storedEvents, useTestDatabase } from '@ticketing/common/testing';
import { Types } from 'mongoose';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
import { consumerIdle, settledTicketEvents, testApp, useTicketsEventRuntime } from './support';

useTestDatabase('tickets_events');
const events = useTicketsEventRuntime();
const app = testApp();

afterEach(() => jest.restoreAllMocks());

async function listedTicket(userId = randomObjectId()) {
  const _id = new Types.ObjectId();
  await Ticket.create({ _id, title: 'concert', price: 20, userId, version: 0 });
  return String(_id);
}

const orderCreated = (ticketId: string, orderId = randomObjectId()): EventData<'order.created'> => ({
  id: orderId,
  version: 0,
  status: OrderStatus.Created,
  userId: randomObjectId(),
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  ticket: { id: ticketId, price: 20 },
});
const orderCancelled = (ticketId: string, orderId: string): EventData<'order.cancelled'> => ({
  id: orderId,
  version: 1,
  ticket: { id: ticketId },
});

/** Publishes onto JetStream with a fresh message id, so a copy is really delivered again (not deduplicated). */
let copies = 0;
const publishCreated = (data: EventData<'order.created'>) =>
  events.publisher.publish(Subjects.OrderCreated, data, `test-created:${data.id}:${++copies}`);
const publishCancelled = (data: EventData<'order.cancelled'>) =>
  events.publisher.publish(Subjects.OrderCancelled, data, `test-cancelled:${data.id}:${++copies}`);

const ticketNow = async (id: string) => (await Ticket.findById(id).lean())!;
const updates = async (id: string) =>
  (await settledTicketEvents(events.bus, id)).filter((e) => e.subject === Subjects.TicketUpdated).map((e) => e.data);

describe('order.created', () => {
  it('reserves the ticket: orderId set, version + 1, one ticket.updated carrying the orderId', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    expect(await ticketNow(ticketId)).toMatchObject({ orderId: order.id, version: 1 });
    const published = await settledTicketEvents(events.bus, ticketId);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      subject: 'ticket.updated',
      msgId: `ticket.updated:${ticketId}:1`,
      data: { id: ticketId, version: 1, title: 'concert', price: 20, orderId: order.id },
    });
  });

  it('a duplicate delivery (same event, another message id) changes nothing twice', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCreated(order);
    await publishCreated(order);
    await consumerIdle(events.bus, Subjects.OrderCreated);
    expect(await ticketNow(ticketId)).toMatchObject({ orderId: order.id, version: 1 });
    expect((await updates(ticketId)).map((u) => u.version)).toEqual([1]);
  });

  it('for a ticket held by another order: retried until that order is cancelled, then reserves', async () => {
    const ticketId = await listedTicket();
    const first = orderCreated(ticketId);
    await publishCreated(first);
    await eventually(async () => (await ticketNow(ticketId)).orderId === first.id);

    const second = orderCreated(ticketId);
    await publishCreated(second);
    // Refused (nak'ed) and redelivered at least once while the first order still holds it.
    await eventually(async () => (await events.bus.jsm.consumers.info('ORDERS', 'tickets-order-created')).num_redelivered > 0);
    expect((await ticketNow(ticketId)).orderId).toBe(first.id);

    await publishCancelled(orderCancelled(ticketId, first.id));
    await eventually(async () => (await ticketNow(ticketId)).orderId === second.id);
    expect(await ticketNow(ticketId)).toMatchObject({ orderId: second.id, version: 3 });
    expect((await updates(ticketId)).map((u) => [u.version, u.orderId])).toEqual([
      [1, first.id],
      [2, undefined],
      [3, second.id],
    ]);
  });

  it('loses a race with an edit (its conditional write misses): re-reads and reserves the new version', async () => {
    const owner = randomObjectId();
    const ticketId = await listedTicket(owner);
    const write = Ticket.findOneAndUpdate.bind(Ticket);
    let first = true;
    jest.spyOn(Ticket, 'findOneAndUpdate').mockImplementation(((...args: Parameters<typeof write>) => {
      if (!first) return write(...args);
      first = false;
      // The listener has read version 0; the owner's edit lands before its write.
      return (async () => {
        const edit = await request(app).put(`/api/tickets/${ticketId}`).set('Cookie', signin({ id: owner })).send({ title: 'edited', price: 30 });
        expect(edit.status).toBe(200);
        return write(...args);
      })();
    }) as unknown as typeof Ticket.findOneAndUpdate);

    const order = orderCreated(ticketId);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    expect(await ticketNow(ticketId)).toMatchObject({ title: 'edited', price: 30, orderId: order.id, version: 2 });
    expect((await updates(ticketId)).map((u) => [u.version, u.title, u.orderId])).toEqual([
      [1, 'edited', undefined],
      [2, 'edited', order.id],
    ]);
  });

  it('for an unknown ticket: retried, then recorded on the DEADLETTER stream; the service keeps working', async () => {
    const order = orderCreated(randomObjectId());
    await publishCreated(order);
    const dead = await eventually(async () => {
      const all = await storedEvents<{ reason: string; data: string; durable: string }>(events.bus.jsm, 'deadletter.>');
      return all.find((d) => d.data.data.includes(order.id));
    });
    expect(dead!.data).toMatchObject({ reason: 'handler-failed', durable: 'tickets-order-created' });

    const ticketId = await listedTicket();
    const next = orderCreated(ticketId);
    await publishCreated(next);
    await eventually(async () => (await ticketNow(ticketId)).orderId === next.id);
  });
});

describe('order.cancelled', () => {
  it('releases the ticket held by that order: orderId unset, version + 1, one ticket.updated without orderId', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    await publishCancelled(orderCancelled(ticketId, order.id));
    await eventually(async () => !(await ticketNow(ticketId)).orderId);
    expect(await ticketNow(ticketId)).toMatchObject({ version: 2 });
    const released = (await updates(ticketId))[1];
    expect(released).toEqual({ id: ticketId, version: 2, title: 'concert', price: 20, userId: expect.any(String) });
  });

  it('a duplicate cancel changes nothing twice', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    await publishCancelled(orderCancelled(ticketId, order.id));
    await publishCancelled(orderCancelled(ticketId, order.id));
    await consumerIdle(events.bus, Subjects.OrderCancelled);
    expect((await ticketNow(ticketId)).version).toBe(2);
    expect((await updates(ticketId)).map((u) => u.version)).toEqual([1, 2]);
  });

  it('leaves alone a ticket held by another order', async () => {
    const ticketId = await listedTicket();
    const holder = orderCreated(ticketId);
    await publishCreated(holder);
    await eventually(async () => (await ticketNow(ticketId)).orderId === holder.id);
    await publishCancelled(orderCancelled(ticketId, randomObjectId()));
    await consumerIdle(events.bus, Subjects.OrderCancelled);
    expect(await ticketNow(ticketId)).toMatchObject({ orderId: holder.id, version: 1 });
    expect((await updates(ticketId)).map((u) => u.version)).toEqual([1]);
  });

  it('arriving BEFORE its order.created (other consumer): the late create never reserves the ticket', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCancelled(orderCancelled(ticketId, order.id));
    await consumerIdle(events.bus, Subjects.OrderCancelled);
    await publishCreated(order);
    await consumerIdle(events.bus, Subjects.OrderCreated);
    expect(await ticketNow(ticketId)).toMatchObject({ version: 0 });
    expect((await ticketNow(ticketId)).orderId).toBeUndefined();
    expect(await updates(ticketId)).toEqual([]);

    // The ticket is still for sale: the next order gets it.
    const next = orderCreated(ticketId);
    await publishCreated(next);
    await eventually(async () => (await ticketNow(ticketId)).orderId === next.id);
    expect((await updates(ticketId)).map((u) => [u.version, u.orderId])).toEqual([[1, next.id]]);
  });

  it('an order.created redelivered after its cancel does not reserve the ticket again', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    await publishCancelled(orderCancelled(ticketId, order.id));
    await eventually(async () => !(await ticketNow(ticketId)).orderId);
    await publishCreated(order);
    await consumerIdle(events.bus, Subjects.OrderCreated);
    expect((await ticketNow(ticketId)).orderId).toBeUndefined();
    expect((await updates(ticketId)).map((u) => u.version)).toEqual([1, 2]);
  });

  it('create and cancel of one order delivered at the same time, in either order: the ticket ends up free', async () => {
    const ticketIds = await Promise.all(Array.from({ length: 10 }, () => listedTicket()));
    const orders = ticketIds.map((id) => orderCreated(id));
    await Promise.all(
      orders.map((o, i) =>
        i % 2
          ? publishCreated(o).then(() => publishCancelled(orderCancelled(o.ticket.id, o.id)))
          : publishCancelled(orderCancelled(o.ticket.id, o.id)).then(() => publishCreated(o)),
      ),
    );
    await consumerIdle(events.bus, Subjects.OrderCreated);
    await consumerIdle(events.bus, Subjects.OrderCancelled);
    for (const id of ticketIds) {
      const t = await ticketNow(id);
      expect(t.orderId).toBeUndefined();
      // Either never reserved (0 events) or reserved then released (versions 1, 2).
      expect([[], [1, 2]]).toContainEqual((await updates(id)).map((u) => u.version));
      expect(t.version).toBe((await updates(id)).length);
    }
  });
});
