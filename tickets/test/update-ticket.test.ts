import { Subjects } from '@ticketing/common';
import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Ticket } from '../src/models/ticket';
import { settledTicketEvents, ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_update'));
const app = events.app();

async function createTicket(cookie: string[], title = 'concert', price = 10): Promise<{ id: string; userId: string; version: number }> {
  const res = await request(app).post('/api/tickets').set('Cookie', cookie).send({ title, price });
  expect(res.status).toBe(201);
  return res.body;
}
const put = (id: string, body: object, cookie?: string[]) => {
  const req = request(app).put(`/api/tickets/${id}`);
  return (cookie ? req.set('Cookie', cookie) : req).send(body);
};

afterEach(() => jest.restoreAllMocks());

describe('PUT /api/tickets/:id', () => {
  it('200 for the owner: new title and price, version + 1, exactly one ticket.updated with that version', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    const res = await put(t.id, { title: 'Better seats', price: 25.5, userId: 'intruder', version: 7 }, owner);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: t.id, title: 'Better seats', price: 25.5, userId: t.userId, version: 1, status: 'available', organizerId: t.userId, faceValue: 10, checkedIn: false });
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ title: 'Better seats', price: 25.5, userId: t.userId, version: 1 });

    const published = await settledTicketEvents(events.bus, t.id);
    expect(published.map((e) => [e.subject, e.data.version])).toEqual([
      ['ticket.created', 0],
      ['ticket.updated', 1],
    ]);
    expect(published[1].msgId).toBe(`ticket.updated:${t.id}:1`);
    expect(published[1].data).toEqual({ id: t.id, version: 1, title: 'Better seats', price: 25.5, userId: t.userId, state: 'listed', organizerId: t.userId });
  });

  it('every edit is a new version with its own event', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    for (const price of [11, 12, 13]) expect((await put(t.id, { title: 'concert', price }, owner)).status).toBe(200);
    const published = await settledTicketEvents(events.bus, t.id);
    expect(published.map((e) => [e.data.version, e.data.price])).toEqual([
      [0, 10],
      [1, 11],
      [2, 12],
      [3, 13],
    ]);
  });

  it('an edit that changes nothing answers 200 without a new version or event', async () => {
    const owner = signin();
    const t = await createTicket(owner, 'same', 10);
    const res = await put(t.id, { title: 'same', price: '10.00' }, owner);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, title: 'same', price: 10, version: 0 });
    expect((await settledTicketEvents(events.bus, t.id)).map((e) => e.subject)).toEqual(['ticket.created']);
  });

  it('401 when signed out (also for an expired session)', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    expect((await put(t.id, { title: 'x', price: 1 })).status).toBe(401);
    expect((await put(t.id, { title: 'x', price: 1 }, signin({}, { expiresInSeconds: -10 }))).status).toBe(401);
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ title: 'concert', version: 0 });
  });

  it('403 for anyone but the owner, and nothing changes', async () => {
    const t = await createTicket(signin());
    const res = await put(t.id, { title: 'mine now', price: 1 }, signin());
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: [{ message: 'You do not own this ticket' }] });
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ title: 'concert', version: 0 });
    expect(await settledTicketEvents(events.bus, t.id)).toHaveLength(1);
  });

  it('404 for an absent ticket and for a malformed id', async () => {
    const cookie = signin();
    for (const id of [randomObjectId(), 'nope', '0123456789abcdef0123456z']) {
      const res = await put(id, { title: 'x', price: 1 }, cookie);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: [{ message: 'Ticket not found' }] });
    }
  });

  it('400 for an invalid title or price (same rules as create)', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    for (const body of [{ title: '', price: 10 }, { title: 'x', price: 'ten' }, { title: 'x', price: 0 }, { title: 'x', price: 1.234 }, { price: 10 }, { title: { a: 1 }, price: 10 }]) {
      const res = await put(t.id, body, owner);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toEqual(expect.any(String));
    }
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ title: 'concert', price: 10, version: 0 });
  });

  it('400 "Cannot edit a reserved ticket" while an order holds it', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    await Ticket.updateOne({ _id: t.id }, { $set: { orderId: randomObjectId() }, $inc: { version: 1 } });
    const res = await put(t.id, { title: 'x', price: 1 }, owner);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot edit a reserved ticket' }] });
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ title: 'concert', version: 1 });
  });

  it('two concurrent PUTs that both read version 0: one 200, the other 409; exactly one ticket.updated', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    // Hold each request's conditional write until both have read the ticket (the race the
    // version filter exists for); the writes themselves run for real against the database.
    const write = Ticket.findOneAndUpdate.bind(Ticket);
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    jest.spyOn(Ticket, 'findOneAndUpdate').mockImplementation(((...args: Parameters<typeof write>) => {
      if (++arrived === 2) release();
      return bothRead.then(() => write(...args));
    }) as unknown as typeof Ticket.findOneAndUpdate);

    const [a, b] = await Promise.all([put(t.id, { title: 'A', price: 1 }, owner), put(t.id, { title: 'B', price: 2 }, owner)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(loser.body).toEqual({ errors: [{ message: 'Ticket was modified concurrently; reload and retry' }] });
    expect(winner.body.version).toBe(1);
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ title: winner.body.title, version: 1 });

    const updates = (await settledTicketEvents(events.bus, t.id)).filter((e) => e.subject === Subjects.TicketUpdated);
    expect(updates).toHaveLength(1);
    expect(updates[0].data).toMatchObject({ version: 1, title: winner.body.title });
  });

  it('many concurrent PUTs: every 200 is exactly one version and one event; the rest are 409', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => put(t.id, { title: `v${i}`, price: i + 1 }, owner)));
    const ok = results.filter((r) => r.status === 200);
    expect(results.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(ok.map((r) => r.body.version).sort((x, y) => x - y)).toEqual(ok.map((_, i) => i + 1));
    const final = await Ticket.findById(t.id).lean();
    expect(final!.version).toBe(ok.length);
    const updates = (await settledTicketEvents(events.bus, t.id)).filter((e) => e.subject === Subjects.TicketUpdated);
    expect(updates.map((e) => e.data.version)).toEqual(ok.map((_, i) => i + 1));
    expect(updates[updates.length - 1].data.title).toBe(final!.title);
  });

  it('a reservation that lands between the read and the write turns the edit into a 400, not an overwrite', async () => {
    const owner = signin();
    const t = await createTicket(owner);
    const orderId = randomObjectId();
    const write = Ticket.findOneAndUpdate.bind(Ticket);
    let first = true;
    jest.spyOn(Ticket, 'findOneAndUpdate').mockImplementation(((...args: Parameters<typeof write>) => {
      if (!first) return write(...args); // the listener's own write
      first = false;
      // The PUT has read the free ticket; now a real order.created reserves it.
      return (async () => {
        await events.publisher.publish(Subjects.OrderCreated, {
          id: orderId,
          version: 0,
          status: 'created' as never,
          userId: randomObjectId(),
          expiresAt: new Date(Date.now() + 900_000).toISOString(),
          ticket: { id: t.id, price: 10 },
        });
        await eventually(async () => (await Ticket.findById(t.id).lean())?.orderId === orderId);
        return write(...args);
      })();
    }) as unknown as typeof Ticket.findOneAndUpdate);

    const res = await put(t.id, { title: 'too late', price: 99 }, owner);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Cannot edit a reserved ticket' }] });
    expect(await Ticket.findById(t.id).lean()).toMatchObject({ title: 'concert', price: 10, orderId, version: 1 });
    const published = await settledTicketEvents(events.bus, t.id);
    expect(published.map((e) => [e.subject, e.data.version, e.data.orderId])).toEqual([
      ['ticket.created', 0, undefined],
      ['ticket.updated', 1, orderId],
    ]);
  });
});
