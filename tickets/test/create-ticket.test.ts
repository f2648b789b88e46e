import { randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
import { settledTicketEvents, ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_create'));
const app = events.app();

const post = (body: unknown, cookie: string[] = signin()) => request(app).post('/api/tickets').set('Cookie', cookie).send(body as object);

describe('POST /api/tickets', () => {
  it('401 when signed out, and nothing is stored', async () => {
    const res = await request(app).post('/api/tickets').send({ title: 'concert', price: 10 });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('201 with {id,title,price,userId,version}; stored; exactly one ticket.created on JetStream', async () => {
    const userId = randomObjectId();
    const res = await post({ title: 'Concert', price: 19.99 }, signin({ id: userId }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), title: 'Concert', price: 19.99, userId, version: 0, status: 'available', organizerId: userId, faceValue: 19.99, checkedIn: false });

    const stored = await Ticket.findById(res.body.id).lean();
    expect(stored).toMatchObject({ title: 'Concert', price: 19.99, userId, version: 0, state: 'listed', organizerId: userId, faceValue: 19.99, delivery: 0 });

    const published = await settledTicketEvents(events.bus, res.body.id);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      subject: 'ticket.created',
      msgId: `ticket.created:${res.body.id}:0`,
      data: { id: res.body.id, version: 0, title: 'Concert', price: 19.99, userId, state: 'listed', organizerId: userId },
    });
    expect(published[0].data).not.toHaveProperty('orderId');
  });

  it('ignores unknown fields and never stores them; the seller is the signed-in user', async () => {
    const userId = randomObjectId();
    const res = await post(
      { title: 'gig', price: 5, userId: 'someone-else', orderId: randomObjectId(), version: 42, isAdmin: true, releasedOrderIds: ['x'] },
      signin({ id: userId }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), title: 'gig', price: 5, userId, version: 0, status: 'available', organizerId: userId, faceValue: 5, checkedIn: false });
    const raw = await Ticket.collection.findOne({ title: 'gig' });
    expect(raw).not.toHaveProperty('isAdmin');
    expect(raw).not.toHaveProperty('orderId');
    expect(raw).toMatchObject({ userId, version: 0 });
    expect(raw).not.toHaveProperty('releasedOrderIds');
  });

  it.each([
    ['a title of exactly 120 characters', { title: 'x'.repeat(120), price: 1 }],
    ['the smallest price (Stripe’s minimum charge)', { title: 't', price: 0.5 }],
    ['the largest price (Stripe’s maximum charge)', { title: 't', price: 999_999.99 }],
    ['one decimal', { title: 't', price: 10.5 }],
    ['a price like 1.15 (inexact in binary)', { title: 't', price: 1.15 }],
  ])('accepts %s', async (_case, body) => {
    const res = await post(body);
    expect(res.status).toBe(201);
    expect(res.body.price).toBe(body.price);
    expect(res.body.title).toBe(body.title);
  });

  it.each([
    ['no title', { price: 10 }, 'title'],
    ['an empty title', { title: '', price: 10 }, 'title'],
    ['a blank title', { title: '   \t ', price: 10 }, 'title'],
    ['a title over 120 characters', { title: 'x'.repeat(121), price: 10 }, 'title'],
    ['a title that is a number', { title: 42, price: 10 }, 'title'],
    ['a title that is an object', { title: { a: 'b' }, price: 10 }, 'title'],
    ['a title that is an array', { title: ['a'], price: 10 }, 'title'],
    ['no price', { title: 't' }, 'price'],
    ['a title with outer whitespace (never trimmed silently)', { title: '  Concert  ', price: 10 }, 'title'],
    ['a non-numeric string price', { title: 't', price: 'ten' }, 'price'],
    ['a null price', { title: 't', price: null }, 'price'],
    ['a boolean price', { title: 't', price: true }, 'price'],
    ['an object price', { title: 't', price: { gt: 0 } }, 'price'],
    ['an array price', { title: 't', price: [10] }, 'price'],
    ['a zero price', { title: 't', price: 0 }, 'price'],
    ['a negative price', { title: 't', price: -5 }, 'price'],
    ['a price below 0.50', { title: 't', price: 0.49 }, 'price'],
    ['a price above 999,999.99', { title: 't', price: 1_000_000 }, 'price'],
    ['three decimals', { title: 't', price: 10.123 }, 'price'],
    ['1.005', { title: 't', price: 1.005 }, 'price'],
  ])('400 for %s', async (_case, body, field) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.any(String) })]));
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('400 for an infinite price (1e400 in the JSON text)', async () => {
    const res = await request(app).post('/api/tickets').set('Cookie', signin()).set('Content-Type', 'application/json').send('{"title":"t","price":1e400}');
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ field: 'price' });
  });

  it('400 for operator injection in any field', async () => {
    for (const body of [{ title: { $gt: '' }, price: 1 }, { title: 't', price: { $gt: 0 } }, { title: 't', price: 1, $where: '1' }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/Invalid key/);
    }
    expect(await Ticket.countDocuments()).toBe(0);
  });

  it('400 for malformed JSON', async () => {
    const res = await request(app).post('/api/tickets').set('Cookie', signin()).set('Content-Type', 'application/json').send('{"title":');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
  });
});
