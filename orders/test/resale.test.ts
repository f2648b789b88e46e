import { OrderStatus, type EventData } from '@ticketing/common';
import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { completeOrder } from '../src/domain/complete-order';
import { Order } from '../src/models/order';
import { Ticket } from '../src/models/ticket';
import { ordersTestOptions } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_resale'));
const app = env.app();

type TicketEvent = EventData<'ticket.updated'>;
const order = (cookie: string[], ticketId: string) => request(app).post('/api/orders').set('Cookie', cookie).send({ ticketId });
const replica = (id: string) => Ticket.findById(id).lean();

/** A ticket listed by `organizer`, in the replica through ticket.created (version 0). */
async function listedTicket(organizer = randomObjectId()) {
  const ticket: TicketEvent = { id: randomObjectId(), version: 0, title: 'Concert', price: 30, userId: organizer };
  await env.publisher.publish('ticket.created', ticket);
  await eventually(() => replica(ticket.id));
  return ticket;
}

/** Publishes the ticket's next version and waits until the replica applied it. */
async function update(ticket: TicketEvent, change: Partial<TicketEvent>): Promise<TicketEvent> {
  const next: TicketEvent = { ...ticket, orderId: undefined, ...change, version: ticket.version + 1 };
  if (next.orderId === undefined) delete next.orderId;
  await env.publisher.publish('ticket.updated', next);
  await eventually(async () => (await replica(ticket.id))?.version === next.version);
  return next;
}

/** `buyer` ordered, the tickets service held it, the order was paid, the ticket delivered to them. */
async function soldTo(ticket: TicketEvent, buyerId: string) {
  const placed = (await order(signin({ id: buyerId }), ticket.id).expect(201)).body;
  const reserved = await update(ticket, { orderId: placed.id });
  await eventually(async () => (await Order.findById(placed.id).lean())?.status === OrderStatus.AwaitingPayment);
  expect(await completeOrder(placed.id)).toBe('completed');
  const held = await update(reserved, { orderId: placed.id, state: 'held', holderId: buyerId, organizerId: ticket.userId });
  return { orderId: placed.id as string, held };
}

describe('the replica follows the listing state', () => {
  it('stores state from ticket.created / ticket.updated (absent = listed)', async () => {
    const ticket = await listedTicket();
    expect(await replica(ticket.id)).toMatchObject({ state: 'listed', version: 0 });
    await update(ticket, { state: 'delisted' });
    expect(await replica(ticket.id)).toMatchObject({ state: 'delisted', version: 1 });
  });

  it('a delisted ticket cannot be ordered: 400 "Ticket is not for sale"; relisted, it can', async () => {
    const ticket = await listedTicket();
    const delisted = await update(ticket, { state: 'delisted' });
    const refused = await order(signin(), ticket.id).expect(400);
    expect(refused.body).toEqual({ errors: [{ message: 'Ticket is not for sale', field: 'ticketId' }] });
    await update(delisted, { state: 'listed' });
    await order(signin(), ticket.id).expect(201);
  });

  it('a held ticket (delivered to its buyer) with no order holding it is not for sale either', async () => {
    const ticket = await listedTicket();
    const held = await update(ticket, { state: 'held', holderId: randomObjectId() });
    expect(held.state).toBe('held');
    const refused = await order(signin(), ticket.id).expect(400);
    expect(refused.body.errors[0].message).toBe('Ticket is not for sale');
  });
});

describe('resale: the holder lists a delivered ticket again', () => {
  it('the sold order gives up the reservation; exactly one of 20 concurrent buyers wins the resold ticket', async () => {
    const organizer = randomObjectId();
    const holder = randomObjectId();
    const ticket = await listedTicket(organizer);
    const { orderId, held } = await soldTo(ticket, holder);
    // Sold: nobody can order it.
    expect((await order(signin(), ticket.id).expect(400)).body.errors[0].message).toBe('Ticket is already reserved');

    // The holder lists it again (tickets: state listed, seller = holder, no order).
    await update(held, { state: 'listed', userId: holder, price: 35, holderId: holder, organizerId: organizer });
    await eventually(async () => (await Order.findById(orderId).lean())?.reservationKey === `resold:${orderId}`);
    // The order itself is untouched: still complete, at the version the payment left it; when it
    // gave the ticket up is recorded (the model test's reservation intervals end there).
    const released = await Order.findById(orderId).lean();
    expect(released).toMatchObject({ status: 'complete', version: 2 });
    expect(released?.resoldAt).toBeInstanceOf(Date);
    expect(env.logs.some((l) => l.ticketId === ticket.id && /listed again/.test(l.msg))).toBe(true);

    const responses = await Promise.all(Array.from({ length: 20 }, () => order(signin(), ticket.id)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    const winner = responses.find((r) => r.status === 201)!.body;
    expect(winner.ticket).toEqual({ id: ticket.id, title: 'Concert', price: 35 });
    expect(await Order.countDocuments({ 'ticket.id': ticket.id, status: { $ne: OrderStatus.Cancelled } })).toBe(2);
  });

  it('an older ticket.updated (listed, no order) redelivered after the sale does not release it', async () => {
    const ticket = await listedTicket();
    const { orderId } = await soldTo(ticket, randomObjectId());
    // Version 0 again (listed, no order) under another message id: stale.
    await env.publisher.publish('ticket.updated', { ...ticket, version: 0 }, `stale-${ticket.id}`);
    await env.publisher.publish('ticket.updated', { ...ticket, version: 1 }, `stale1-${ticket.id}`);
    await eventually(() => env.logs.filter((l) => l.ticketId === ticket.id && l.msg === 'stale ticket update ignored').length >= 2);
    expect(await Order.findById(orderId).lean()).toMatchObject({ reservationKey: ticket.id, status: 'complete' });
  });
});
