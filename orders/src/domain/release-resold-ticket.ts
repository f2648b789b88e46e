import { OrderStatus } from '@ticketing/common';
import { Order, resoldKey } from '../models/order';

/**
 * The holder of a delivered ticket listed it again: the complete order that bought it still
 * holds the ticket's reservationKey (a sold ticket stays held for good), so nobody could order
 * it. That order gives the key up (`resold:<orderId>`: unique, never a ticket id; the index
 * stays a plain unique one). The order itself is unchanged (no version, no event): the key is
 * internal. The next order's insert on the freed key still decides every race between buyers.
 * Idempotent: once released, there is no complete order holding the key.
 */
export async function releaseResoldTicket(ticketId: string): Promise<'released' | 'not-held'> {
  const sold = await Order.findOne({ reservationKey: ticketId, status: OrderStatus.Complete }, { _id: 1 }).lean();
  if (!sold) return 'not-held';
  const released = await Order.updateOne(
    { _id: sold._id, reservationKey: ticketId, status: OrderStatus.Complete },
    { $set: { reservationKey: resoldKey(String(sold._id)), resoldAt: new Date() } },
  );
  return released.modifiedCount === 1 ? 'released' : 'not-held';
}
