import { idUrlSpellings, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
import { ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const env = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_id_spellings', { events: false }));
const app = env.app();

/** Every route that takes a ticket id, with every spelling: the same ticket or a 4xx, never another or a 500. */
describe('ticket id spellings', () => {
  const seller = signin();
  const createTicket = async (title: string) =>
    (await request(app).post('/api/tickets').set('Cookie', seller).send({ title, price: 10 }).expect(201)).body as { id: string };

  it('GET /api/tickets/:id', async () => {
    const ticket = await createTicket('show');
    for (const s of idUrlSpellings(ticket.id)) {
      const res = await request(app).get(`/api/tickets/${s.encoded}`);
      if (s.sameEntity) {
        expect([s.label, res.status, res.body.id]).toEqual([s.label, 200, ticket.id]);
      } else {
        expect([s.label, res.status]).toEqual([s.label, expect.any(Number)]);
        expect([s.label, res.status >= 400 && res.status < 500]).toEqual([s.label, true]);
      }
    }
  });

  it('PUT /api/tickets/:id: a case variant edits the same ticket; nothing else is created or edited', async () => {
    const ticket = await createTicket('edit');
    let version = 0;
    for (const [i, s] of idUrlSpellings(ticket.id).entries()) {
      const res = await request(app).put(`/api/tickets/${s.encoded}`).set('Cookie', seller).send({ title: `edit ${i}`, price: 10 });
      if (s.sameEntity) {
        version += 1;
        expect([s.label, res.status, res.body.id, res.body.version]).toEqual([s.label, 200, ticket.id, version]);
      } else {
        expect([s.label, res.status >= 400 && res.status < 500]).toEqual([s.label, true]);
      }
    }
    expect(await Ticket.countDocuments()).toBe(1);
    const stored = await Ticket.collection.findOne({}, { projection: { version: 1 } });
    expect(String(stored!._id)).toBe(ticket.id);
    expect(stored!.version).toBe(version);
  });

  it('GET /api/tickets?before=: a case variant is the same cursor; anything else is a 400', async () => {
    const [older, , newer] = [await createTicket('a'), await createTicket('b'), await createTicket('c')];
    const expected = (await request(app).get(`/api/tickets?before=${newer.id}`).expect(200)).body.map((t: { id: string }) => t.id);
    expect(expected).toContain(older.id);
    for (const s of idUrlSpellings(newer.id)) {
      const res = await request(app).get(`/api/tickets?before=${s.encoded}`);
      if (s.sameEntity) {
        expect([s.label, res.status, res.body.map((t: { id: string }) => t.id)]).toEqual([s.label, 200, expected]);
      } else {
        expect([s.label, res.status]).toEqual([s.label, 400]);
      }
    }
    // A repeated parameter is an array, not an id (`before[]` is a different, ignored key).
    const repeated = await request(app).get(`/api/tickets?before=${newer.id}&before=${newer.id.toUpperCase()}`);
    expect(repeated.status).toBe(400);
  });
});
