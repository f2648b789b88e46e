import { Order } from '../models/order';

/**
 * The highest orderSeq of the ticket's orders, read from the orders themselves (exact, unlike
 * the replica's lastOrderSeq hint). Used after an insert collided on its sequenceKey.
 */
export async function highestOrderSeq(ticketId: string): Promise<number> {
  const last = await Order.findOne({ 'ticket.id': ticketId, orderSeq: { $exists: true } }, { orderSeq: 1 })
    .sort({ orderSeq: -1 })
    .lean();
  return last?.orderSeq ?? 0;
}
