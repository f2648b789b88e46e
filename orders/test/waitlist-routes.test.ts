import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { completeOrder } from '../src/domain/complete-order';
import { Order } from '../src/models/order';
import { Ticket } from '../src/models/ticket';
import { WaitlistEntry } from '../src/models/waitlist-entry';
import { ordersTestOptions, outboxDrained, seedTicket } from './support';
import { buyer, joinWaitlist, placeOrder, waitlistEvents } from './waitlist-support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_waitlist_routes'));
const app = env.app({ env: { EXPIRATION_WINDOW_SECONDS: '60' } });

/** A ticket reserved by a walk-in buyer (returned with their order). */
async function reservedTicket(over: Parameters<typeof seedTicket>[0] = {}) {
  const ticket = await seedTicket(over);
  const holder = buyer();
  const order = (await placeOrder(app, holder.cookie, ticket.id).expect(201)).body;
  return { ticket, holder, order };
}

const line = (ticketId: string, cookie?: string[]) => {
  const req = request(app).get(`/api/orders/waitlist/${ticketId}`);
  return cookie ? req.set('Cookie', cookie) : req;
};

describe('POST /api/orders/waitlist', () => {
  it('joins a reserved ticket: 201 {ticketId, status, position, length}; a repeated join is 200 with the same place', async () => {
    const { ticket } = await reservedTicket();
    const [a, b] = [buyer(), buyer()];
    expect((await joinWaitlist(app, a.cookie, ticket.id).expect(201)).body).toEqual({ ticketId: ticket.id, status: 'waiting', position: 1, length: 1 });
    expect((await joinWaitlist(app, b.cookie, ticket.id.toUpperCase()).expect(201)).body).toEqual({ ticketId: ticket.id, status: 'waiting', position: 2, length: 2 });
    expect((await joinWaitlist(app, a.cookie, ticket.id).expect(200)).body).toEqual({ ticketId: ticket.id, status: 'waiting', position: 1, length: 2 });
    expect(await WaitlistEntry.countDocuments({ ticketId: ticket.id })).toBe(2);

    // Each join is one order.waitlist-changed (version 0, status waiting, place in line).
    await eventually(outboxDrained);
    const events = await eventually(async () => ((await waitlistEvents(env.bus.jsm, ticket.id)).length === 2 ? waitlistEvents(env.bus.jsm, ticket.id) : undefined));
    expect(events.map((e) => e.data)).toEqual([
      { id: expect.any(String), version: 0, ticketId: ticket.id, userId: a.id, status: 'waiting', position: 1 },
      { id: expect.any(String), version: 0, ticketId: ticket.id, userId: b.id, status: 'waiting', position: 2 },
    ]);
    expect(events[0].msgId).toBe(`order.waitlist-changed:${events[0].data.id}:0`);
  });

  it('20 buyers joining at once get places 1 … 20, each once', async () => {
    const { ticket } = await reservedTicket();
    const buyers = Array.from({ length: 20 }, () => buyer());
    const answers = await Promise.all(buyers.map((b) => joinWaitlist(app, b.cookie, ticket.id)));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
    const seqs = (await WaitlistEntry.find({ ticketId: ticket.id }).lean()).map((e) => e.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('401 signed out; 400 malformed id; 404 unknown ticket', async () => {
    const { ticket } = await reservedTicket();
    await request(app).post('/api/orders/waitlist').send({ ticketId: ticket.id }).expect(401);
    for (const ticketId of [undefined, 'abc', 42]) {
      expect((await joinWaitlist(app, signin(), ticketId).expect(400)).body.errors[0]).toMatchObject({ field: 'ticketId' });
    }
    expect((await joinWaitlist(app, signin(), randomObjectId()).expect(404)).body).toEqual({ errors: [{ message: 'Ticket not found' }] });
  });

  it('400: an available ticket, your own ticket, the ticket you hold, a sold or delisted ticket', async () => {
    const message = async (cookie: string[], ticketId: string) => (await joinWaitlist(app, cookie, ticketId).expect(400)).body.errors[0];
    const available = await seedTicket();
    expect(await message(signin(), available.id)).toEqual({ message: 'Ticket is available: order it instead', field: 'ticketId' });

    const seller = randomObjectId();
    const { ticket, holder, order } = await reservedTicket({ userId: seller });
    expect((await message(signin({ id: seller }), ticket.id)).message).toBe('You cannot wait for your own ticket');
    expect((await message(holder.cookie, ticket.id)).message).toBe('You hold this ticket already: pay for your order');

    expect(await completeOrder(order.id)).toBe('completed');
    expect((await message(signin(), ticket.id)).message).toBe('Ticket is not for sale');

    const delisted = await seedTicket();
    await Ticket.updateOne({ _id: delisted.id }, { $set: { state: 'delisted' } });
    expect((await message(signin(), delisted.id)).message).toBe('Ticket is not for sale');
    expect(await WaitlistEntry.countDocuments()).toBe(0);
  });
});

describe('GET /api/orders/waitlist/:ticketId and GET /api/orders/waitlist', () => {
  it('anyone sees the length; a signed-in buyer also their status and place; 404 unknown or malformed ticket', async () => {
    const { ticket } = await reservedTicket({ title: 'Opera' });
    const [a, b] = [buyer(), buyer()];
    await joinWaitlist(app, a.cookie, ticket.id).expect(201);
    await joinWaitlist(app, b.cookie, ticket.id).expect(201);

    expect((await line(ticket.id).expect(200)).body).toEqual({ ticketId: ticket.id, length: 2 });
    expect((await line(ticket.id, signin()).expect(200)).body).toEqual({ ticketId: ticket.id, length: 2 });
    expect((await line(ticket.id, b.cookie).expect(200)).body).toEqual({ ticketId: ticket.id, length: 2, status: 'waiting', position: 2 });
    await line(randomObjectId()).expect(404);
    await line('not-a-ticket').expect(404);

    const mine = (await request(app).get('/api/orders/waitlist').set('Cookie', b.cookie).expect(200)).body;
    expect(mine).toEqual([{ id: expect.any(String), ticketId: ticket.id, title: 'Opera', status: 'waiting', position: 2, joinedAt: expect.any(String) }]);
    await request(app).get('/api/orders/waitlist').expect(401);
  });
});

describe('DELETE /api/orders/waitlist/:ticketId', () => {
  it('204 leaves (those behind move up, event status left); 404 when not waiting; 401 signed out', async () => {
    const { ticket } = await reservedTicket();
    const [a, b] = [buyer(), buyer()];
    await joinWaitlist(app, a.cookie, ticket.id).expect(201);
    await joinWaitlist(app, b.cookie, ticket.id).expect(201);

    await request(app).delete(`/api/orders/waitlist/${ticket.id}`).expect(401);
    await request(app).delete(`/api/orders/waitlist/${ticket.id}`).set('Cookie', a.cookie).expect(204);
    const again = await request(app).delete(`/api/orders/waitlist/${ticket.id}`).set('Cookie', a.cookie).expect(404);
    expect(again.body).toEqual({ errors: [{ message: 'You are not on the waitlist of this ticket' }] });
    await request(app).delete(`/api/orders/waitlist/${randomObjectId()}`).set('Cookie', a.cookie).expect(404);

    expect((await line(ticket.id, b.cookie).expect(200)).body).toMatchObject({ length: 1, position: 1 });
    expect((await line(ticket.id, a.cookie).expect(200)).body).toEqual({ ticketId: ticket.id, length: 1, status: 'left' });
    const left = await eventually(async () => (await waitlistEvents(env.bus.jsm, ticket.id)).find((e) => e.data.status === 'left'));
    expect(left.data).toEqual({ id: expect.any(String), version: 1, ticketId: ticket.id, userId: a.id, status: 'left' });

    // Joining again takes a new place at the end.
    expect((await joinWaitlist(app, a.cookie, ticket.id).expect(201)).body).toMatchObject({ position: 2, length: 2 });
  });
});

describe('walk-in orders while buyers wait', () => {
  it('400 "Ticket has a waitlist: join it" once the hold is released and someone waits; newcomers may still join the line', async () => {
    const { ticket, order } = await reservedTicket();
    const waiter = buyer();
    await joinWaitlist(app, waiter.cookie, ticket.id).expect(201);
    // Reserved: a walk-in learns it is reserved (the client offers the waitlist).
    expect((await placeOrder(app, signin(), ticket.id).expect(400)).body.errors[0].message).toBe('Ticket is already reserved');

    // Released without a handover (as if it had failed): the line still comes first.
    await Order.updateOne({ _id: order.id }, { $set: { status: 'cancelled', reservationKey: `released:${order.id}` } });
    const refused = await placeOrder(app, signin(), ticket.id).expect(400);
    expect(refused.body).toEqual({ errors: [{ message: 'Ticket has a waitlist: join it', field: 'ticketId' }] });
    // And a newcomer may still join that line.
    expect((await joinWaitlist(app, signin(), ticket.id).expect(201)).body).toMatchObject({ position: 2, length: 2 });
  });
});
