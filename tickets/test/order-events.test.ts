import { createLogger, OrderStatus, Subjects, type EventData } from '@ticketing/common';
import { eventually, randomObjectId, signin, storedEvents, useServiceTestEnv } from '@ticketing/dev-servers';
import mongoose, { Types } from 'mongoose';
import type { JsMsg } from 'nats';
import { orderCancelledListener, orderCreatedListener } from '../src/events/listeners';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
import { consumerIdle, settledTicketEvents, ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_events'));
const app = events.app();

afterEach(() => jest.restoreAllMocks());

async function listedTicket(userId = randomObjectId()) {
  const _id = new Types.ObjectId();
  await Ticket.create({ _id, title: 'concert', price: 20, userId, version: 0 });
  return String(_id);
}

/** Orders numbers each ticket's orders 1, 2, 3 … in the order they are placed. */
const placed = new Map<string, number>();
const nextSeq = (ticketId: string) => {
  placed.set(ticketId, (placed.get(ticketId) ?? 0) + 1);
  return placed.get(ticketId)!;
};
const orderCreated = (
  ticketId: string,
  { orderId = randomObjectId(), orderSeq = nextSeq(ticketId), price = 20, title = 'concert' } = {}, // orderSeq 0: an event without one
): EventData<'order.created'> => ({
  id: orderId,
  version: 0,
  status: OrderStatus.Created,
  userId: randomObjectId(),
  expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
  ticket: { id: ticketId, price, title, ...(orderSeq ? { orderSeq } : {}) },
});
const orderCancelled = (ticketId: string, orderId: string, orderSeq?: number): EventData<'order.cancelled'> => ({
  id: orderId,
  version: 1,
  ticket: { id: ticketId, ...(orderSeq ? { orderSeq } : {}) },
});
const cancelOf = (order: EventData<'order.created'>) => orderCancelled(order.ticket.id, order.id, order.ticket.orderSeq);

/** Publishes onto JetStream with a fresh message id, so a copy is really delivered again (not deduplicated). */
let copies = 0;
const publishCreated = (data: EventData<'order.created'>) =>
  events.publisher.publish(Subjects.OrderCreated, data, `test-created:${data.id}:${++copies}`);
const publishCancelled = (data: EventData<'order.cancelled'>) =>
  events.publisher.publish(Subjects.OrderCancelled, data, `test-cancelled:${data.id}:${++copies}`);

const refusals = async (ticketId: string) =>
  (await storedEvents<EventData<'ticket.reservation-refused'>>(events.bus.jsm, Subjects.TicketReservationRefused)).filter(
    (e) => e.data.ticketId === ticketId,
  );
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

    await publishCancelled(cancelOf(first));
    await eventually(async () => (await ticketNow(ticketId)).orderId === second.id);
    expect(await ticketNow(ticketId)).toMatchObject({ orderId: second.id, version: 3 });
    expect((await updates(ticketId)).map((u) => [u.version, u.orderId])).toEqual([
      [1, first.id],
      [2, undefined],
      [3, second.id],
    ]);
  });

  /** The listener has read the ticket; `edits` land (as the owner's PUTs) before its write. */
  function editBeforeTheListenersWrite(owner: string, ticketId: string, edits: { title: string; price: number }[]) {
    const write = Ticket.findOneAndUpdate.bind(Ticket);
    const refuse = Ticket.updateOne.bind(Ticket);
    let first = true;
    const editFirst = <A extends unknown[], R>(fn: (...args: A) => R) =>
      ((...args: A) => {
        if (!first) return fn(...args);
        first = false;
        return (async () => {
          for (const edit of edits) {
            const res = await request(app).put(`/api/tickets/${ticketId}`).set('Cookie', signin({ id: owner })).send(edit);
            expect(res.status).toBe(200);
          }
          return fn(...args);
        })();
      }) as unknown;
    jest.spyOn(Ticket, 'findOneAndUpdate').mockImplementation(editFirst(write) as typeof Ticket.findOneAndUpdate);
    jest.spyOn(Ticket, 'updateOne').mockImplementation(editFirst(refuse) as typeof Ticket.updateOne);
  }

  it('loses a race with edits that leave price and title as ordered: re-reads and reserves the new version', async () => {
    const owner = randomObjectId();
    const ticketId = await listedTicket(owner);
    editBeforeTheListenersWrite(owner, ticketId, [{ title: 'edited', price: 30 }, { title: 'concert', price: 20 }]);

    const order = orderCreated(ticketId);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    expect(await ticketNow(ticketId)).toMatchObject({ title: 'concert', price: 20, orderId: order.id, version: 3 });
    expect((await updates(ticketId)).map((u) => [u.version, u.price, u.orderId])).toEqual([
      [1, 30, undefined],
      [2, 20, undefined],
      [3, 20, order.id],
    ]);
  });

  it('loses a race with an edit of the price: refuses the reservation (ticket.reservation-refused), the ticket stays free at the new price', async () => {
    const owner = randomObjectId();
    const ticketId = await listedTicket(owner);
    editBeforeTheListenersWrite(owner, ticketId, [{ title: 'concert', price: 30 }]);

    const order = orderCreated(ticketId);
    await publishCreated(order);
    const refused = await eventually(async () => {
      const stored = await refusals(ticketId);
      return stored.length ? stored : undefined;
    });
    expect(refused.map((e) => [e.msgId, e.data])).toEqual([
      [`ticket.reservation-refused:${order.id}`, { ticketId, orderId: order.id, reason: 'ticket-changed', version: 1 }],
    ]);
    expect(await ticketNow(ticketId)).toMatchObject({ price: 30, version: 1, releasedSeq: order.ticket.orderSeq });
    expect((await ticketNow(ticketId)).orderId).toBeUndefined();
  });

  it('for an unknown ticket: retried, then recorded on the DEADLETTER stream; the service keeps working', async () => {
    const order = orderCreated(randomObjectId());
    await publishCreated(order);
    const dead = await eventually(async () => {
      const all = await storedEvents<{ reason: string; data: string; durable: string }>(events.bus.jsm, 'deadletter.>');
      return all.find((d) => d.data.data.includes(order.id));
    });
    expect(dead.data).toMatchObject({ reason: 'handler-failed', durable: 'tickets-order-created' });

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
    await publishCancelled(cancelOf(order));
    await eventually(async () => !(await ticketNow(ticketId)).orderId);
    expect(await ticketNow(ticketId)).toMatchObject({ version: 2 });
    const released = (await updates(ticketId))[1];
    expect(released).toEqual({ id: ticketId, version: 2, title: 'concert', price: 20, userId: expect.any(String), state: 'listed', organizerId: expect.any(String) });
  });

  it('a duplicate cancel changes nothing twice', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    await publishCancelled(cancelOf(order));
    await publishCancelled(cancelOf(order));
    await consumerIdle(events.bus, Subjects.OrderCancelled);
    expect((await ticketNow(ticketId)).version).toBe(2);
    expect((await updates(ticketId)).map((u) => u.version)).toEqual([1, 2]);
  });

  it('leaves alone a ticket held by another order', async () => {
    const ticketId = await listedTicket();
    const holder = orderCreated(ticketId);
    await publishCreated(holder);
    await eventually(async () => (await ticketNow(ticketId)).orderId === holder.id);
    await publishCancelled(orderCancelled(ticketId, randomObjectId(), nextSeq(ticketId)));
    await consumerIdle(events.bus, Subjects.OrderCancelled);
    expect(await ticketNow(ticketId)).toMatchObject({ orderId: holder.id, version: 1 });
    expect((await updates(ticketId)).map((u) => u.version)).toEqual([1]);
  });

  it('arriving BEFORE its order.created (other consumer): the late create never reserves the ticket', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId);
    await publishCancelled(cancelOf(order));
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
    await publishCancelled(cancelOf(order));
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
          ? publishCreated(o).then(() => publishCancelled(cancelOf(o)))
          : publishCancelled(cancelOf(o)).then(() => publishCreated(o)),
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

describe('the price the buyer saw', () => {
  it("an edit that landed before order.created: the order is refused, never reserved; a redelivery changes nothing", async () => {
    const owner = randomObjectId();
    const ticketId = await listedTicket(owner);
    await request(app).put(`/api/tickets/${ticketId}`).set('Cookie', signin({ id: owner })).send({ title: 'concert', price: 35 }).expect(200);

    const order = orderCreated(ticketId, { price: 20 });
    await publishCreated(order);
    await eventually(async () => (await refusals(ticketId)).length === 1);
    await publishCreated(order);
    await consumerIdle(events.bus, Subjects.OrderCreated);
    expect((await refusals(ticketId)).map((e) => e.data)).toEqual([{ ticketId, orderId: order.id, reason: 'ticket-changed', version: 1 }]);
    expect(await ticketNow(ticketId)).toMatchObject({ price: 35, version: 1 });
    expect((await ticketNow(ticketId)).orderId).toBeUndefined();

    // An order placed at the new price gets it.
    const next = orderCreated(ticketId, { price: 35 });
    await publishCreated(next);
    await eventually(async () => (await ticketNow(ticketId)).orderId === next.id);
  });

  it('a changed title is refused too; an order without a title (older event) is compared on price only', async () => {
    const owner = randomObjectId();
    const ticketId = await listedTicket(owner);
    await request(app).put(`/api/tickets/${ticketId}`).set('Cookie', signin({ id: owner })).send({ title: 'renamed', price: 20 }).expect(200);
    await publishCreated(orderCreated(ticketId));
    await eventually(async () => (await refusals(ticketId)).length === 1);

    const untitled = orderCreated(ticketId);
    delete (untitled.ticket as { title?: string }).title;
    await publishCreated(untitled);
    await eventually(async () => (await ticketNow(ticketId)).orderId === untitled.id);
  });
});

describe('order numbers', () => {
  it("a create numbered below the holder's is for an order cancelled long ago: ignored at once, not retried", async () => {
    const ticketId = await listedTicket();
    const early = orderCreated(ticketId);
    const later = orderCreated(ticketId);
    await publishCreated(later);
    await eventually(async () => (await ticketNow(ticketId)).orderId === later.id);
    await publishCreated(early);
    await consumerIdle(events.bus, Subjects.OrderCreated);
    expect(await ticketNow(ticketId)).toMatchObject({ orderId: later.id, orderSeq: later.ticket.orderSeq, version: 1 });
  });
});

describe('orders without a number (events written before orderSeq existed)', () => {
  it('reserve a free ticket and are released by their cancel', async () => {
    const ticketId = await listedTicket();
    const order = orderCreated(ticketId, { orderSeq: 0 });
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    await publishCancelled(cancelOf(order));
    await eventually(async () => !(await ticketNow(ticketId)).orderId);
  });

  it('are dead once a numbered order of the ticket was seen (that one was placed after them)', async () => {
    const ticketId = await listedTicket();
    const numbered = orderCreated(ticketId);
    await publishCreated(numbered);
    await eventually(async () => (await ticketNow(ticketId)).orderId === numbered.id);
    await publishCancelled(cancelOf(numbered));
    await eventually(async () => !(await ticketNow(ticketId)).orderId);

    await publishCreated(orderCreated(ticketId, { orderSeq: 0 }));
    await consumerIdle(events.bus, Subjects.OrderCreated);
    expect((await ticketNow(ticketId)).orderId).toBeUndefined();
  });
});

describe('what the ticket remembers about its orders is O(1)', () => {
  const ctx = { logger: createLogger('test', 'silent'), deliveries: 1, msg: undefined as unknown as JsMsg };
  const size = async (id: string) => mongoose.mongo.BSON.calculateObjectSize((await Ticket.collection.findOne({ _id: new Types.ObjectId(id) }, { projection: { outbox: 0 } }))!);

  it('200 order / cancel cycles (cancel first every other time) leave the document the same size', async () => {
    const ticketId = await listedTicket();
    const sizes: number[] = [];
    for (let cycle = 0; cycle < 200; cycle++) {
      const order = orderCreated(ticketId);
      if (cycle % 2) {
        await orderCancelledListener.handle(cancelOf(order), ctx);
        await orderCreatedListener.handle(order, ctx);
      } else {
        await orderCreatedListener.handle(order, ctx);
        expect((await ticketNow(ticketId)).orderId).toBe(order.id);
        await orderCancelledListener.handle(cancelOf(order), ctx);
      }
      expect((await ticketNow(ticketId)).orderId).toBeUndefined();
      if (cycle === 1 || cycle === 199) sizes.push(await size(ticketId));
    }
    expect(sizes[1]).toBe(sizes[0]);
    expect(await ticketNow(ticketId)).toMatchObject({ releasedSeq: 200, version: 200 });
  });
});
