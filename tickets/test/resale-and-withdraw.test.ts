import { Subjects } from '@ticketing/common';
import { useServiceTestEnv } from '@ticketing/dev-servers';
import { lifecycle, person } from './lifecycle';
import { settledTicketEvents, ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_resale'));
const app = events.app();
const life = lifecycle(app, events);
const { api } = life;
const lastUpdate = async (id: string) => (await settledTicketEvents(events.bus, id)).filter((e) => e.subject === Subjects.TicketUpdated).at(-1)!.data;

describe('resale: PUT by the holder of a delivered ticket', () => {
  it('lists it again with them as seller: available, no order, version + 1, ticket.updated state listed; the next sale moves it on', async () => {
    const organizer = person();
    const holder = person();
    const t = await life.createTicket(organizer, { title: 'Match', price: 50 });
    const first = await life.buy(t.id, holder);
    const res = await api.put(t.id, { title: 'Match', price: 55 }, holder);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'available', userId: holder.id, organizerId: organizer.id, holderId: holder.id, price: 55, faceValue: 50, version: 3 });
    expect(res.body).not.toHaveProperty('orderId');
    expect(await lastUpdate(t.id)).toEqual({ id: t.id, version: 3, title: 'Match', price: 55, userId: holder.id, state: 'listed', holderId: holder.id, organizerId: organizer.id });
    expect((await api.get('/api/tickets')).body.map((x: { id: string }) => x.id)).toContain(t.id);
    expect((await api.get('/api/tickets/mine', holder)).body).toEqual([]);
    // A late copy of the first sale's order.created never reserves it again.
    expect(await life.ticketNow(t.id)).toMatchObject({ releasedSeq: first.ticket.orderSeq });

    const second = person();
    const order = await life.buy(t.id, second);
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', holderId: second.id, userId: holder.id, delivery: 2, orderId: order.id });
    expect((await life.ticketNow(t.id)).sales!.map((s) => [s.sellerId, s.buyerId, s.price])).toEqual([
      [organizer.id, holder.id, 50],
      [holder.id, second.id, 55],
    ]);

    // Listings: each seller sees the ticket as sold, with only their own sale.
    const organizers = await api.get('/api/tickets/listings', organizer);
    expect(organizers.status).toBe(200);
    expect(organizers.body).toEqual([expect.objectContaining({ id: t.id, status: 'sold', sales: [expect.objectContaining({ orderId: first.id, buyerId: holder.id, price: 50 })] })]);
    const resellers = await api.get('/api/tickets/listings', holder);
    expect(resellers.body).toEqual([expect.objectContaining({ id: t.id, status: 'sold', sales: [expect.objectContaining({ orderId: order.id, buyerId: second.id, price: 55 })] })]);
    expect((await api.get('/api/tickets/listings', second)).body).toEqual([]);
  });

  it('the price cap of the ticket (resaleCapPercent at creation): above face value + N % is 400 field price', async () => {
    const holder = person();
    const t = await life.createTicket(person(), { title: 'Capped', price: 20, resaleCapPercent: 10 });
    expect(t.resaleCapPercent).toBe(10);
    await life.buy(t.id, holder);
    const res = await api.put(t.id, { title: 'Capped', price: 22.01 }, holder);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: [{ message: 'Resale price may not exceed $22.00', field: 'price' }] });
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', version: 2 });
    expect((await api.put(t.id, { title: 'Capped', price: 22 }, holder)).status).toBe(200);
    // While listed, the reseller's own edits stay within the cap too.
    expect((await api.put(t.id, { title: 'Capped', price: 30 }, holder)).status).toBe(400);
    expect((await api.put(t.id, { title: 'Capped', price: 21 }, holder)).status).toBe(200);
  });

  it.each([[-1], [1001], [2.5], ['10'], [null]])('resaleCapPercent %p at creation is a 400 naming the field', async (cap) => {
    const created = await api.create({ title: 'x', price: 10, resaleCapPercent: cap }, person());
    expect(created.status).toBe(400);
    expect(created.body.errors).toEqual([expect.objectContaining({ field: 'resaleCapPercent' })]);
  });

  it('the service cap (TICKET_RESALE_CAP_PERCENT) for tickets without their own; the organizer is never capped', async () => {
    const capped = events.app({ env: { TICKET_RESALE_CAP_PERCENT: '50' } });
    const lifeCapped = lifecycle(capped, events);
    const organizer = person();
    const holder = person();
    const t = await lifeCapped.createTicket(organizer, { title: 'Service cap', price: 10 });
    expect((await lifeCapped.api.put(t.id, { title: 'Service cap', price: 100 }, organizer)).status).toBe(200);
    await lifeCapped.buy(t.id, holder);
    // face value 10 (the price at creation), +50 %.
    const res = await lifeCapped.api.put(t.id, { title: 'Service cap', price: 15.01 }, holder);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ message: 'Resale price may not exceed $15.00', field: 'price' }]);
    expect((await lifeCapped.api.put(t.id, { title: 'Service cap', price: 15 }, holder)).status).toBe(200);
  });

  it('a reseller cannot change the title (400 field title); the old seller cannot edit a sold ticket (400); others 403', async () => {
    const organizer = person();
    const holder = person();
    const t = await life.createTicket(organizer, { title: 'Original', price: 10 });
    await life.buy(t.id, holder);
    const retitled = await api.put(t.id, { title: 'Better', price: 10 }, holder);
    expect(retitled.status).toBe(400);
    expect(retitled.body.errors).toEqual([{ message: 'Only the organizer can change the title', field: 'title' }]);
    const bySeller = await api.put(t.id, { title: 'Original', price: 12 }, organizer);
    expect(bySeller.status).toBe(400);
    expect(bySeller.body.errors[0].message).toBe('Cannot edit a sold ticket');
    expect((await api.put(t.id, { title: 'Original', price: 12 }, person())).status).toBe(403);
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', version: 2, title: 'Original' });
  });
});

describe('DELETE /api/tickets/:id (withdraw) and relisting', () => {
  it('the organizer delists: not in the catalogue, status delisted; PUT lists it again', async () => {
    const organizer = person();
    const t = await life.createTicket(organizer, { title: 'Withdrawn', price: 10 });
    const res = await api.withdraw(t.id, organizer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, status: 'delisted', version: 1 });
    expect(await lastUpdate(t.id)).toMatchObject({ version: 1, state: 'delisted' });
    expect((await api.get('/api/tickets')).body.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect((await api.withdraw(t.id, organizer)).body).toMatchObject({ status: 'delisted', version: 1 }); // again: no change
    expect((await api.get('/api/tickets/listings', organizer)).body).toEqual([expect.objectContaining({ id: t.id, status: 'delisted', sales: [] })]);

    expect((await api.put(t.id, { title: 'Withdrawn', price: 10 }, person())).status).toBe(403);
    const relisted = await api.put(t.id, { title: 'Back', price: 12 }, organizer);
    expect(relisted.status).toBe(200);
    expect(relisted.body).toMatchObject({ status: 'available', title: 'Back', price: 12, version: 2 });
    expect(await lastUpdate(t.id)).toMatchObject({ version: 2, state: 'listed', title: 'Back' });
    expect((await api.get('/api/tickets')).body.map((x: { id: string }) => x.id)).toContain(t.id);
  });

  it('a reseller withdraws: held by them again with a fresh delivery (the code from before the listing stays superseded)', async () => {
    const organizer = person();
    const holder = person();
    const t = await life.createTicket(organizer, { title: 'Changed my mind', price: 10 });
    const sale = await life.buy(t.id, holder);
    const before = (await api.code(t.id, holder)).body.code;
    expect((await api.put(t.id, { title: 'Changed my mind', price: 10 }, holder)).status).toBe(200);
    const res = await api.withdraw(t.id, holder);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'sold', holderId: holder.id, userId: organizer.id, orderId: sale.id, version: 4 });
    expect(await life.ticketNow(t.id)).toMatchObject({ state: 'held', delivery: 2 });
    expect(await lastUpdate(t.id)).toMatchObject({ version: 4, state: 'held', holderId: holder.id, userId: organizer.id });

    const fresh = await api.code(t.id, holder);
    expect(fresh.body).toMatchObject({ delivery: 2, checkedIn: false });
    expect((await api.checkin(t.id, before, organizer)).body.errors[0].message).toBe('Ticket code was superseded');
    expect((await api.checkin(t.id, fresh.body.code, organizer)).status).toBe(200);
  });

  it('a reserved or sold ticket cannot be withdrawn (400); someone else\'s 403; signed out 401', async () => {
    const organizer = person();
    const t = await life.createTicket(organizer);
    await life.reserve(t.id, person());
    const res = await api.withdraw(t.id, organizer);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Cannot withdraw a reserved ticket');
    expect((await api.withdraw(t.id, person())).status).toBe(403);

    const sold = await life.createTicket(organizer);
    const holder = person();
    await life.buy(sold.id, holder);
    for (const who of [organizer, holder]) {
      const res = await api.withdraw(sold.id, who);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toBe('Cannot withdraw a sold ticket: it is not listed');
    }
    expect((await api.withdraw(sold.id, person())).status).toBe(403);
    expect((await api.get(`/api/tickets/${sold.id}`)).body.status).toBe('sold');
    expect((await api.withdraw(sold.id, { id: '', cookie: [] })).status).toBe(401);
  });
});
