import { randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
import { ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const env = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_read', { events: false }));
const app = env.app();

async function createTicket(title = 'concert', price = 10): Promise<{ id: string; title: string }> {
  const res = await request(app).post('/api/tickets').set('Cookie', signin()).send({ title, price });
  expect(res.status).toBe(201);
  return res.body;
}

/** Arranges a reserved ticket (what order.created does; the listener is tested with real events elsewhere). */
const reserve = (id: string, orderId = randomObjectId()) => Ticket.updateOne({ _id: id }, { $set: { orderId }, $inc: { version: 1 } });

describe('GET /api/tickets/:id', () => {
  it('200 with the ticket, to anyone (signed out too)', async () => {
    const t = await createTicket('opera', 55.5);
    const res = await request(app).get(`/api/tickets/${t.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: t.id, title: 'opera', price: 55.5, userId: expect.any(String), version: 0, status: 'available', organizerId: expect.any(String), faceValue: expect.any(Number), checkedIn: false });
  });

  it('includes orderId while reserved, and never the internal fields', async () => {
    const t = await createTicket();
    const orderId = randomObjectId();
    await reserve(t.id, orderId);
    await Ticket.updateOne({ _id: t.id }, { $addToSet: { releasedOrderIds: randomObjectId() } });
    const res = await request(app).get(`/api/tickets/${t.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: t.id, title: 'concert', price: 10, userId: expect.any(String), version: 1, orderId, status: 'reserved', organizerId: expect.any(String), faceValue: expect.any(Number), checkedIn: false });
  });

  it('404 for an absent ticket', async () => {
    const res = await request(app).get(`/api/tickets/${randomObjectId()}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it.each(['not-an-id', '123', 'zzzzzzzzzzzzzzzzzzzzzzzz', '%24gt'])('404 (not 500) for the malformed id %s', async (id) => {
    const res = await request(app).get(`/api/tickets/${id}`);
    expect(res.status).toBe(404);
    expect(res.body.errors[0].message).toBe('Ticket not found');
  });
});

describe('GET /api/tickets', () => {
  it('an empty array when there are no tickets, and no next cursor', async () => {
    const res = await request(app).get('/api/tickets');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
    expect(res.headers['x-next-cursor']).toBeUndefined();
    expect(res.headers.link).toBeUndefined();
  });

  it('available tickets only (no orderId), newest first, as a plain array', async () => {
    const a = await createTicket('a');
    const b = await createTicket('b');
    const c = await createTicket('c');
    await reserve(b.id);
    const res = await request(app).get('/api/tickets');
    expect(res.status).toBe(200);
    expect(res.body.map((t: { title: string }) => t.title)).toEqual(['c', 'a']);
    expect(res.body[0]).toEqual({ id: c.id, title: 'c', price: 10, userId: expect.any(String), version: 0, status: 'available', organizerId: expect.any(String), faceValue: expect.any(Number), checkedIn: false });
    expect(res.body[1].id).toBe(a.id);
  });

  it('a released ticket is listed again', async () => {
    const t = await createTicket();
    await reserve(t.id);
    expect((await request(app).get('/api/tickets')).body).toEqual([]);
    await Ticket.updateOne({ _id: t.id }, { $unset: { orderId: 1 }, $inc: { version: 1 } });
    expect((await request(app).get('/api/tickets')).body.map((x: { id: string }) => x.id)).toEqual([t.id]);
  });

  it('50 per page by default, with the next page in X-Next-Cursor and Link', async () => {
    await Ticket.insertMany(Array.from({ length: 51 }, (_, i) => ({ title: `t${i}`, price: 1, userId: 'u' })));
    const res = await request(app).get('/api/tickets');
    expect(res.body).toHaveLength(50);
    const cursor = res.headers['x-next-cursor'];
    expect(cursor).toBe(res.body[49].id);
    expect(res.headers.link).toBe(`</api/tickets?limit=50&cursor=${cursor}>; rel="next"`);
    const next = await request(app).get(res.headers.link.match(/<([^>]+)>/)![1]);
    expect(next.status).toBe(200);
    expect(next.body).toHaveLength(1);
    expect(next.headers['x-next-cursor']).toBeUndefined();
  });

  it('limit up to 200 is honoured', async () => {
    await Ticket.insertMany(Array.from({ length: 3 }, (_, i) => ({ title: `t${i}`, price: 1, userId: 'u' })));
    expect((await request(app).get('/api/tickets?limit=200')).body).toHaveLength(3);
    const one = await request(app).get('/api/tickets?limit=1');
    expect(one.body).toHaveLength(1);
    expect(one.headers['x-next-cursor']).toBe(one.body[0].id);
  });

  it.each([
    ['limit=0'],
    ['limit=201'],
    ['limit=1000000'],
    ['limit=-1'],
    ['limit=1.5'],
    ['limit=abc'],
    ['limit='],
    ['limit=10&limit=20'],
    ['before=not-an-id'],
    [`before=${randomObjectId()}&before=${randomObjectId()}`],
  ])('400 for ?%s', async (qs) => {
    const res = await request(app).get(`/api/tickets?${qs}`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toEqual(expect.any(String));
  });

  it('bracket keys are not parsed into operators: ?before[$gt]= is an ignored parameter', async () => {
    const t = await createTicket();
    const res = await request(app).get('/api/tickets?before[$gt]=0&orderId[$ne]=x');
    expect(res.status).toBe(200);
    expect(res.body.map((x: { id: string }) => x.id)).toEqual([t.id]);
  });

  it('pages stay stable while tickets are added and reserved: no duplicates, no skips', async () => {
    const original: string[] = [];
    for (let i = 0; i < 5; i++) original.unshift((await createTicket(`old${i}`)).id); // newest first
    const page1 = await request(app).get('/api/tickets?limit=2');
    expect(page1.body.map((t: { id: string }) => t.id)).toEqual(original.slice(0, 2));

    // Meanwhile: new tickets are listed, and one already seen gets reserved.
    for (let i = 0; i < 3; i++) await createTicket(`new${i}`);
    await reserve(original[0]);

    const page2 = await request(app).get(`/api/tickets?limit=2&before=${page1.headers['x-next-cursor']}`);
    expect(page2.body.map((t: { id: string }) => t.id)).toEqual(original.slice(2, 4));
    const page3 = await request(app).get(`/api/tickets?limit=2&before=${page2.headers['x-next-cursor']}`);
    expect(page3.body.map((t: { id: string }) => t.id)).toEqual(original.slice(4));
    expect(page3.headers['x-next-cursor']).toBeUndefined();

    // A fresh first page shows the new ones first.
    const fresh = await request(app).get('/api/tickets?limit=3');
    expect(fresh.body.map((t: { title: string }) => t.title)).toEqual(['new2', 'new1', 'new0']);
  });
});
