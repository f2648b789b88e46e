import { OrderStatus } from '@ticketing/common';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { caseVariants, eventually, randomObjectId, signin, storedEvents, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { ordersTestOptions, outboxDrained, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_race'));

/** Two orders-service instances (two apps, two HTTP servers) on one database. */
const servers: http.Server[] = [];
const urls: string[] = [];
beforeAll(async () => {
  for (let i = 0; i < 2; i++) {
    const server = http.createServer(env.app());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const BUYERS = 200;

describe('many buyers, one ticket, two orders-service instances', () => {
  it('exactly one order wins; every other buyer gets 400; one order.created on JetStream', async () => {
    const ticket = await seedTicket();
    const buyers = Array.from({ length: BUYERS }, () => signin());

    const responses = await Promise.all(
      buyers.map((cookie, i) => request(urls[i % 2]).post('/api/orders').set('Cookie', cookie).send({ ticketId: ticket.id })),
    );

    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(BUYERS - 1);
    for (const r of responses.filter((r) => r.status === 400)) {
      expect(r.body).toEqual({ errors: [{ message: 'Ticket is already reserved', field: 'ticketId' }] });
    }
    const winner = responses.find((r) => r.status === 201)!.body;
    const orders = await Order.find({ 'ticket.id': ticket.id }).lean();
    expect(orders.map((o) => String(o._id))).toEqual([winner.id]);

    await eventually(outboxDrained);
    const created = (await storedEvents<{ id: string; ticket: { id: string } }>(env.bus.jsm, 'order.created')).filter(
      (e) => e.data.ticket.id === ticket.id,
    );
    expect(created.map((e) => e.data.id)).toEqual([winner.id]);
  });

  it('30 buyers spelling the ticket id in 30 different cases: exactly one order wins', async () => {
    // At least 6 letters, so 30 distinct spellings exist (2^6 - 1 variants besides the id).
    const ticket = await seedTicket({ id: `abcdef${randomObjectId().slice(6)}` });
    const spellings = caseVariants(ticket.id, 30).slice(0, 30);
    expect(new Set(spellings).size).toBe(30);
    const responses = await Promise.all(
      spellings.map((ticketId, i) => request(urls[i % 2]).post('/api/orders').set('Cookie', signin()).send({ ticketId })),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(29);
    const orders = await Order.find({ reservationKey: { $regex: `^${ticket.id}$`, $options: 'i' } }).lean();
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ reservationKey: ticket.id, ticket: { id: ticket.id } });
  });

  it('buyers racing a cancellation: the ticket is held by at most one active order at any time', async () => {
    const ticket = await seedTicket();
    const first = signin();
    const held = await request(urls[0]).post('/api/orders').set('Cookie', first).send({ ticketId: ticket.id }).expect(201);

    const [cancel, ...attempts] = await Promise.all([
      request(urls[1]).delete(`/api/orders/${held.body.id}`).set('Cookie', first),
      ...Array.from({ length: 50 }, (_, i) =>
        request(urls[i % 2]).post('/api/orders').set('Cookie', signin()).send({ ticketId: ticket.id }),
      ),
    ]);
    expect(cancel.status).toBe(204);
    expect(attempts.filter((r) => r.status === 201).length).toBeLessThanOrEqual(1);
    expect(attempts.every((r) => r.status === 201 || r.status === 400)).toBe(true);
    const active = await Order.countDocuments({ 'ticket.id': ticket.id, status: { $ne: OrderStatus.Cancelled } });
    expect(active).toBe(attempts.filter((r) => r.status === 201).length);
  });
});
