import { OrderStatus, Subjects, type EventData } from '@ticketing/common';
import { eventually, randomObjectId, signin, storedEvents, type ServiceTestEnv } from '@ticketing/dev-servers';
import type { Express } from 'express';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
/** The parts of the test environment the lifecycle drives: the bus and the owners' publisher. */
type Events = Pick<ServiceTestEnv<unknown, object>, 'bus' | 'publisher'>;

/** A person with a session: their id and cookie. */
export interface Person {
  id: string;
  cookie: string[];
}
export const person = (): Person => {
  const id = randomObjectId();
  return { id, cookie: signin({ id }) };
};

export interface TicketJson {
  id: string;
  title: string;
  price: number;
  userId: string;
  version: number;
  status: string;
  organizerId: string;
  faceValue: number;
  holderId?: string;
  orderId?: string;
  checkedIn: boolean;
  resaleCapPercent?: number;
}

/**
 * The ticket's life as the other services drive it: orders places an order (order.created,
 * numbered per ticket like orders does) and, once paid, completes it (order.completed with the
 * buyer) — published on the real JetStream, handled by the service's own listeners.
 */
export function lifecycle(app: Express, events: Events) {
  const seqs = new Map<string, number>();
  let copies = 0;

  const ticketNow = async (id: string) => (await Ticket.findById(id).lean())!;

  async function createTicket(seller: Person, body: object = { title: 'Gig', price: 20 }): Promise<TicketJson> {
    const res = await request(app).post('/api/tickets').set('Cookie', seller.cookie).send(body);
    expect(res.status).toBe(201);
    return res.body;
  }

  function orderCreated(ticket: { id: string; title: string; price: number }, buyer: Person): EventData<'order.created'> {
    const orderSeq = (seqs.get(ticket.id) ?? 0) + 1;
    seqs.set(ticket.id, orderSeq);
    return {
      id: randomObjectId(),
      version: 0,
      status: OrderStatus.Created,
      userId: buyer.id,
      expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
      ticket: { id: ticket.id, price: ticket.price, title: ticket.title, orderSeq },
    };
  }

  const publishCreated = (data: EventData<'order.created'>) => events.publisher.publish(Subjects.OrderCreated, data, `test-created:${data.id}:${++copies}`);
  const publishCompleted = (data: EventData<'order.completed'>) =>
    events.publisher.publish(Subjects.OrderCompleted, data, `test-completed:${data.id}:${++copies}`);
  const completionOf = (order: EventData<'order.created'>, buyer?: Person): EventData<'order.completed'> => ({
    id: order.id,
    version: 2,
    ticket: { id: order.ticket.id },
    ...(buyer && { userId: buyer.id }),
  });

  /** `buyer` orders the ticket as it is now; resolves once the ticket is reserved for the order. */
  async function reserve(ticketId: string, buyer: Person) {
    const t = await ticketNow(ticketId);
    const order = orderCreated({ id: ticketId, title: t.title, price: t.price }, buyer);
    await publishCreated(order);
    await eventually(async () => (await ticketNow(ticketId)).orderId === order.id);
    return order;
  }

  /** `buyer` orders and pays: resolves once the ticket is delivered to them. */
  async function buy(ticketId: string, buyer: Person) {
    const order = await reserve(ticketId, buyer);
    await publishCompleted(completionOf(order, buyer));
    await eventually(async () => (await ticketNow(ticketId)).holderId === buyer.id && (await ticketNow(ticketId)).state === 'held');
    return order;
  }

  const refusals = async (ticketId: string) =>
    (await storedEvents<EventData<'ticket.reservation-refused'>>(events.bus.jsm, Subjects.TicketReservationRefused)).filter((e) => e.data.ticketId === ticketId);

  const api = {
    create: (body: object, who: Person) => request(app).post('/api/tickets').set('Cookie', who.cookie).send(body),
    get: (path: string, who?: Person) => (who ? request(app).get(path).set('Cookie', who.cookie) : request(app).get(path)),
    put: (id: string, body: object, who: Person) => request(app).put(`/api/tickets/${id}`).set('Cookie', who.cookie).send(body),
    withdraw: (id: string, who: Person) => request(app).delete(`/api/tickets/${id}`).set('Cookie', who.cookie),
    code: (id: string, who: Person) => request(app).get(`/api/tickets/${id}/code`).set('Cookie', who.cookie),
    checkin: (id: string, code: unknown, who: Person) => request(app).post(`/api/tickets/${id}/checkin`).set('Cookie', who.cookie).send({ code }),
  };

  return { ticketNow, createTicket, orderCreated, publishCreated, publishCompleted, completionOf, reserve, buy, refusals, api };
}
