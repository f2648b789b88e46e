import { OrderCancelReason } from '@ticketing/common';
import { randomObjectId, useServiceTestEnv } from '@ticketing/dev-servers';
import { cancelOrder } from '../src/domain/cancel-order';
import { placeOrder } from '../src/domain/place-order';
import { Order } from '../src/models/order';
import { Ticket } from '../src/models/ticket';
import { ordersTestOptions, seedTicket } from './support';
import { ordersService } from '../src/service';

useServiceTestEnv(ordersService, ordersTestOptions('orders_seq'));
afterEach(() => jest.restoreAllMocks());

const place = (ticketId: string) => placeOrder({ ticketId, userId: randomObjectId(), windowSeconds: 60 });
const seqOf = async (orderId: unknown) => (await Order.findById(orderId).lean())!.orderSeq;

describe("each ticket's orders are numbered in the order they took the ticket", () => {
  it('1, 2, 3 across cancels, each with its unique sequenceKey', async () => {
    const ticket = await seedTicket();
    const seqs: (number | null | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const order = await place(ticket.id);
      seqs.push(await seqOf(order._id));
      await cancelOrder(String(order._id), OrderCancelReason.Buyer);
    }
    expect(seqs).toEqual([1, 2, 3]);
    const last = (await Order.findOne({ orderSeq: 3 }).lean())!;
    expect(last.sequenceKey).toBe(`${ticket.id}:3`);
  });

  it('an order whose insert stalled while another took, and released, the ticket gets the higher number', async () => {
    // With a number taken BEFORE the insert ($inc on a counter), the stalled order would keep
    // the lower number though it holds the ticket after the other was released, and tickets
    // would take it for a dead order. Here its insert collides and it is renumbered.
    const ticket = await seedTicket();
    const create = Order.create.bind(Order);
    let stalled = true;
    let other: { id: string; seq?: number | null } | undefined;
    jest.spyOn(Order, 'create').mockImplementation(async (...args: Parameters<typeof create>) => {
      if (!stalled) return create(...args);
      stalled = false;
      const placed = await place(ticket.id);
      other = { id: String(placed._id), seq: await seqOf(placed._id) };
      await cancelOrder(other.id, OrderCancelReason.Buyer);
      return create(...args);
    });

    const late = await place(ticket.id);
    expect(other!.seq).toBe(1);
    expect(await seqOf(late._id)).toBe(2);
    expect(await Order.countDocuments({ 'ticket.id': ticket.id })).toBe(2);
  });

  it("the replica's hint lost (or behind): the next order still gets highest + 1", async () => {
    const ticket = await seedTicket();
    await cancelOrder(String((await place(ticket.id))._id), OrderCancelReason.Buyer);
    await cancelOrder(String((await place(ticket.id))._id), OrderCancelReason.Buyer);
    await Ticket.updateOne({ _id: ticket.id }, { $unset: { lastOrderSeq: 1 } });
    expect(await seqOf((await place(ticket.id))._id)).toBe(3);
  });
});
