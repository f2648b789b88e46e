import { OrderCancelReason, OrderStatus } from '@ticketing/common';
import { signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { cancelOrder } from '../src/domain/cancel-order';
import { completeOrder } from '../src/domain/complete-order';
import { Order } from '../src/models/order';
import { ordersTestOptions, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_cap'));
const CAP = 3;
const app = env.app({ env: { ORDERS_MAX_ACTIVE_PER_BUYER: String(CAP) } });
const refusal = { errors: [{ message: `You already have ${CAP} unpaid orders, the most allowed at once: pay for or cancel one first` }] };

const order = (buyer: string[], ticketId: string) => request(app).post('/api/orders').set('Cookie', buyer).send({ ticketId });

describe('ORDERS_MAX_ACTIVE_PER_BUYER', () => {
  it('refuses the order beyond the cap with 400; a cancelled or paid order frees its place', async () => {
    const buyer = signin();
    const tickets = await Promise.all(Array.from({ length: CAP + 3 }, () => seedTicket()));
    const placed = [];
    for (let i = 0; i < CAP; i++) placed.push((await order(buyer, tickets[i].id).expect(201)).body);
    expect((await order(buyer, tickets[CAP].id).expect(400)).body).toEqual(refusal);
    // Another buyer is not affected.
    await order(signin(), tickets[CAP].id).expect(201);

    await cancelOrder(placed[0].id, OrderCancelReason.Buyer);
    await order(buyer, tickets[CAP + 1].id).expect(201);
    await order(buyer, tickets[CAP + 2].id).expect(400);
    expect(await completeOrder(placed[1].id)).toBe('completed');
    await order(buyer, tickets[CAP + 2].id).expect(201);
  });

  it('is exact under concurrency: 20 simultaneous orders by one buyer on 20 tickets → exactly CAP placed', async () => {
    const buyer = signin();
    const tickets = await Promise.all(Array.from({ length: 20 }, () => seedTicket()));
    const responses = await Promise.all(tickets.map((t) => order(buyer, t.id)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(CAP);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 400 || s === 409)).toBe(true);
    expect(await Order.countDocuments({ status: OrderStatus.Created })).toBe(CAP);
  });

  it('0 turns it off', async () => {
    const buyer = signin();
    const uncapped = env.app({ env: { ORDERS_MAX_ACTIVE_PER_BUYER: '0' } });
    for (let i = 0; i < CAP + 2; i++) {
      await request(uncapped).post('/api/orders').set('Cookie', buyer).send({ ticketId: (await seedTicket()).id }).expect(201);
    }
  });
});
