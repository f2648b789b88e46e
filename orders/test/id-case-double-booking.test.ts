import { OrderStatus } from '@ticketing/common';
import { signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { Order } from '../src/models/order';
import { ordersTestOptions, seedTicket } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_id_case'));
const app = env.app();

/** Issue 14: the reservation key was the ticket id as the client spelled it. */
describe('one ticket, spelled in another case', () => {
  it('a second buyer cannot reserve the ticket by upper-casing its id', async () => {
    const ticket = await seedTicket();
    await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: ticket.id }).expect(201);
    const res = await request(app).post('/api/orders').set('Cookie', signin()).send({ ticketId: ticket.id.toUpperCase() });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toBe('Ticket is already reserved');
    expect(await Order.countDocuments({ status: { $ne: OrderStatus.Cancelled } })).toBe(1);
  });
});
