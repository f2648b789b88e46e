import { eventually, idSpellings, idUrlSpellings, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { orderEvents, ordersTestOptions, outboxDrained, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_id_spellings'));
const app = env.app();

const is4xx = (status: number) => status >= 400 && status < 500;

/** Every route that takes an id, every spelling: the same entity or a 4xx; never a second entity, never a 500. */
describe('order and ticket id spellings', () => {
  it('POST /api/orders {ticketId}: every case variant is the one ticket (one order in all); anything else is a 400', async () => {
    const ticket = await seedTicket();
    const answers: { label: string; status: number; body: { id?: string; ticket?: { id: string }; errors?: { message: string; field?: string }[] } }[] = [];
    for (const s of idSpellings(ticket.id)) {
      const res = await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: s.value });
      answers.push({ label: s.label, status: res.status, body: res.body });
      // 400 on `ticketId` (operator objects are refused earlier, for their `$` key).
      if (!s.sameEntity) expect([s.label, res.status, res.body.errors?.[0]?.field ?? res.body.errors?.[0]?.message]).toEqual([s.label, 400, expect.stringMatching(/^ticketId$|Invalid key/)]);
      else expect([s.label, [201, 400].includes(res.status)]).toEqual([s.label, true]);
    }
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    expect(won[0].body.ticket!.id).toBe(ticket.id);
    const orders = await Order.find({}).lean();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ reservationKey: ticket.id, ticket: { id: ticket.id } });
    await eventually(outboxDrained);
    const created = await orderEvents(env, 'order.created', String(orders[0]._id));
    expect(created.map((e) => e.data.ticket.id)).toEqual([ticket.id]);
  });

  it('GET /api/orders/:id: a case variant is the same order; anything else is a 4xx', async () => {
    const buyer = signin();
    const ticket = await seedTicket();
    const order = (await request(app).post('/api/orders').set('Cookie', buyer).send({ ticketId: ticket.id }).expect(201)).body;
    for (const s of idUrlSpellings(order.id)) {
      const res = await request(app).get(`/api/orders/${s.encoded}`).set('Cookie', buyer);
      if (s.sameEntity) expect([s.label, res.status, res.body.id]).toEqual([s.label, 200, order.id]);
      else expect([s.label, is4xx(res.status)]).toEqual([s.label, true]);
    }
    // Another buyer is refused for every spelling (403 for the same order, 4xx otherwise).
    for (const s of idUrlSpellings(order.id)) {
      const res = await request(app).get(`/api/orders/${s.encoded}`).set('Cookie', signin());
      expect([s.label, s.sameEntity ? res.status === 403 : is4xx(res.status)]).toEqual([s.label, true]);
    }
  });

  it('DELETE /api/orders/:id: look-alikes are 4xx and change nothing; a case variant cancels the same order once', async () => {
    const buyer = signin();
    const ticket = await seedTicket();
    const order = (await request(app).post('/api/orders').set('Cookie', buyer).send({ ticketId: ticket.id }).expect(201)).body;
    const spellings = idUrlSpellings(order.id);
    for (const s of spellings.filter((x) => !x.sameEntity)) {
      const res = await request(app).delete(`/api/orders/${s.encoded}`).set('Cookie', buyer);
      expect([s.label, is4xx(res.status)]).toEqual([s.label, true]);
    }
    expect((await Order.findById(order.id).lean())!.status).toBe('created');
    for (const s of spellings.filter((x) => x.sameEntity)) {
      const res = await request(app).delete(`/api/orders/${s.encoded}`).set('Cookie', buyer);
      expect([s.label, res.status]).toEqual([s.label, 204]);
    }
    const cancelled = await Order.findById(order.id).lean();
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 1 });
    expect(await Order.countDocuments()).toBe(1);
  });
});
