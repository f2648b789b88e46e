import { durableName, OrderStatus, Subjects } from '@ticketing/common';
import { eventually, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { orderEvents, ordersTestOptions, outboxDrained, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_confirm'));
const app = env.app();

const stored = (id: string) => Order.findById(id).lean();

async function newOrder() {
  const ticket = await seedTicket();
  const res = await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: ticket.id }).expect(201);
  return { order: res.body as { id: string }, ticket };
}

/** What the tickets service publishes when it holds `ticket` for `orderId` (its version 1). */
const held = (ticket: { id: string; title: string; price: number; userId: string }, orderId: string, version = 1) => ({
  ...ticket,
  version,
  orderId,
});

async function caughtUp(): Promise<boolean> {
  const info = await env.bus.jsm.consumers.info('TICKETS', durableName('orders', Subjects.TicketUpdated));
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

describe('the tickets service holding the ticket confirms the order (created → awaiting:payment)', () => {
  it('ticket.updated naming the order: awaiting:payment at version 1, with one order.awaiting-payment; a copy changes nothing', async () => {
    const { order, ticket } = await newOrder();
    expect(await stored(order.id)).toMatchObject({ status: OrderStatus.Created, version: 0 });

    await env.publisher.publish(Subjects.TicketUpdated, held(ticket, order.id));
    await eventually(async () => (await stored(order.id))?.status === OrderStatus.AwaitingPayment);
    expect(await stored(order.id)).toMatchObject({ version: 1 });

    // A stale copy (the replica is already at this version) is harmless.
    await env.publisher.publish(Subjects.TicketUpdated, held(ticket, order.id), `copy-${order.id}`);
    await eventually(caughtUp);
    await eventually(outboxDrained);
    const events = await orderEvents(env, Subjects.OrderAwaitingPayment, order.id);
    expect(events.map((e) => [e.msgId, e.data])).toEqual([
      [`${Subjects.OrderAwaitingPayment}:${order.id}:1`, { id: order.id, version: 1, ticket: { id: ticket.id } }],
    ]);
    expect(await stored(order.id)).toMatchObject({ status: OrderStatus.AwaitingPayment, version: 1 });
  });

  it('an order cancelled before the tickets service held its ticket stays cancelled', async () => {
    const { order, ticket } = await newOrder();
    await request(app).delete(`/api/orders/${order.id}`).set('Cookie', signin({ id: (await stored(order.id))!.userId })).expect(204);

    await env.publisher.publish(Subjects.TicketUpdated, held(ticket, order.id));
    await eventually(caughtUp);
    expect(await stored(order.id)).toMatchObject({ status: OrderStatus.Cancelled, version: 1 });
    expect(await orderEvents(env, Subjects.OrderAwaitingPayment, order.id)).toEqual([]);
  });
});
