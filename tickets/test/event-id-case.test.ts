import { EVENT_ROUTES, OrderStatus, Subjects, type EventSubject } from '@ticketing/common';
import { eventually, randomObjectId, useServiceTestEnv } from '@ticketing/dev-servers';
import { Types } from 'mongoose';
import { JSONCodec } from 'nats';
import { Ticket } from '../src/models/ticket';
import { ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_event_id_case'));
const codec = JSONCodec();

/** Straight onto JetStream, bypassing our Publisher (which would canonicalise), as the subject's owner (its NATS user). */
const publishRaw = async (subject: EventSubject, data: unknown) =>
  (await events.bus.as(EVENT_ROUTES[subject].owner)).js.publish(subject, codec.encode(data), { msgID: `raw:${randomObjectId()}` });

describe('ids in events are canonical on receipt', () => {
  it('an order.created with upper-case ids and an order.cancelled with mixed-case ids name one order: the ticket is released', async () => {
    const ticketId = new Types.ObjectId().toHexString();
    await Ticket.create({ _id: ticketId, title: 'concert', price: 20, userId: randomObjectId(), version: 0 });
    const orderId = new Types.ObjectId().toHexString();
    await publishRaw(Subjects.OrderCreated, {
      id: orderId.toUpperCase(),
      version: 0,
      status: OrderStatus.Created,
      userId: randomObjectId(),
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
      ticket: { id: ticketId.toUpperCase(), price: 20 },
    });
    // Stored in the canonical form, so a lower-case lookup finds it.
    await eventually(async () => (await Ticket.findById(ticketId).lean())!.orderId === orderId);

    const mixed = [...orderId].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
    await publishRaw(Subjects.OrderCancelled, { id: mixed, version: 1, ticket: { id: ticketId } });
    await eventually(async () => !(await Ticket.findById(ticketId).lean())!.orderId);
    expect(await Ticket.findById(ticketId).lean()).toMatchObject({ version: 2 });
  });
});
