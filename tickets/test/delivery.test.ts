import { Subjects } from '@ticketing/common';
import { eventually, storedEvents, useServiceTestEnv } from '@ticketing/dev-servers';
import { Ticket } from '../src/models/ticket';
import { lifecycle, person } from './lifecycle';
import { consumerIdle, settledTicketEvents, ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_delivery'));
const app = events.app();
const life = lifecycle(app, events);
const { api } = life;

const updates = async (id: string) => (await settledTicketEvents(events.bus, id)).filter((e) => e.subject === Subjects.TicketUpdated).map((e) => e.data);

describe('order.completed delivers the ticket to its buyer', () => {
  it('held by the buyer, a new delivery, the sale recorded, version + 1, one ticket.updated with state/holderId/organizerId', async () => {
    const seller = person();
    const buyer = person();
    const t = await life.createTicket(seller, { title: 'Opera', price: 30 });
    const order = await life.reserve(t.id, buyer);
    await life.publishCompleted(life.completionOf(order, buyer));
    await eventually(async () => (await life.ticketNow(t.id)).state === 'held');

    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', holderId: buyer.id, orderId: order.id, delivery: 1, version: 2, userId: seller.id });
    expect((await life.ticketNow(t.id)).sales).toEqual([{ orderId: order.id, sellerId: seller.id, buyerId: buyer.id, price: 30, at: expect.any(Date) }]);
    expect((await updates(t.id)).at(-1)).toEqual({
      id: t.id,
      version: 2,
      title: 'Opera',
      price: 30,
      userId: seller.id,
      orderId: order.id,
      state: 'held',
      holderId: buyer.id,
      organizerId: seller.id,
    });

    const shown = await api.get(`/api/tickets/${t.id}`);
    expect(shown.body).toMatchObject({ status: 'sold', holderId: buyer.id, organizerId: seller.id, checkedIn: false, orderId: order.id });
    expect(shown.body).not.toHaveProperty('sales');
    expect(shown.body).not.toHaveProperty('delivery');
    expect((await api.get('/api/tickets')).body.map((x: { id: string }) => x.id)).not.toContain(t.id);

    const mine = await api.get('/api/tickets/mine', buyer);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual([expect.objectContaining({ id: t.id, status: 'sold', holderId: buyer.id, checkedIn: false })]);
    expect((await api.get('/api/tickets/mine', seller)).body).toEqual([]);
  });

  it('a redelivered order.completed changes nothing (no second delivery, sale or event)', async () => {
    const buyer = person();
    const t = await life.createTicket(person());
    const order = await life.buy(t.id, buyer);
    await life.publishCompleted(life.completionOf(order, buyer));
    await life.publishCompleted(life.completionOf(order, buyer));
    await consumerIdle(events.bus, Subjects.OrderCompleted);
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', delivery: 1, version: 2 });
    expect((await life.ticketNow(t.id)).sales).toHaveLength(1);
    expect((await updates(t.id)).map((u) => u.version)).toEqual([1, 2]);
  });

  it('arriving before its order.created (another consumer): waits for the reservation, then delivers', async () => {
    const buyer = person();
    const t = await life.createTicket(person());
    const order = life.orderCreated(t, buyer);
    await life.publishCompleted(life.completionOf(order, buyer));
    await eventually(async () => (await events.bus.jsm.consumers.info('ORDERS', 'tickets-order-completed')).num_redelivered > 0);
    expect((await life.ticketNow(t.id)).state).toBe('listed');
    await life.publishCreated(order);
    await eventually(async () => (await life.ticketNow(t.id)).holderId === buyer.id);
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', orderId: order.id, delivery: 1, version: 2 });
  });

  it('without the buyer (an older event) it cannot deliver: dead letter, the ticket stays reserved', async () => {
    const t = await life.createTicket(person());
    const order = await life.reserve(t.id, person());
    await life.publishCompleted(life.completionOf(order));
    const dead = await eventually(async () => {
      const all = await storedEvents<{ reason: string; data: string; durable: string }>(events.bus.jsm, 'deadletter.>');
      return all.find((d) => d.data.data.includes(order.id) && d.data.durable === 'tickets-order-completed');
    });
    expect(dead.data.reason).toBe('handler-failed');
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'listed', orderId: order.id, version: 1 });
  });
});

describe("order.created on a ticket that is not for sale is refused with 'not-for-sale'", () => {
  it('a sold (held) ticket: refused, the ticket unchanged', async () => {
    const t = await life.createTicket(person());
    const sale = await life.buy(t.id, person());
    const late = life.orderCreated(t, person());
    await life.publishCreated(late);
    const refused = await eventually(async () => ((await life.refusals(t.id)).length ? life.refusals(t.id) : undefined));
    expect(refused.map((e) => e.data)).toEqual([{ ticketId: t.id, orderId: late.id, reason: 'not-for-sale', version: 2 }]);
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', orderId: sale.id, version: 2, releasedSeq: late.ticket.orderSeq });
  });

  it('a delisted ticket: refused, still delisted; a redelivery is not refused twice', async () => {
    const seller = person();
    const t = await life.createTicket(seller);
    expect((await api.withdraw(t.id, seller)).status).toBe(200);
    const order = life.orderCreated(t, person());
    await life.publishCreated(order);
    await eventually(async () => (await life.refusals(t.id)).length === 1);
    await life.publishCreated(order);
    await consumerIdle(events.bus, Subjects.OrderCreated);
    expect((await life.refusals(t.id)).map((e) => e.data)).toEqual([{ ticketId: t.id, orderId: order.id, reason: 'not-for-sale', version: 1 }]);
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ state: 'delisted', version: 1 });
    expect((await life.ticketNow(t.id)).orderId).toBeUndefined();
  });
});
