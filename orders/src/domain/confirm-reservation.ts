import { OrderStatus, outboxEntry, pushOutbox, Subjects } from '@ticketing/common';
import { Order } from '../models/order';

/** Each retry follows a concurrent change of the same order (a cancel, an expiry): rare. */
const MAX_ATTEMPTS = 5;

export type ConfirmOutcome = 'confirmed' | 'not-waiting';

/**
 * The tickets service now holds `ticketId` for `orderId` (its ticket.updated names the order),
 * which it does only at the price and title the order was placed on: the order may be paid.
 * created → awaiting:payment, version + 1 and order.awaiting-payment, in ONE conditional write
 * (same pattern as settleOrder). Payments takes money only for an order in that status, so a
 * buyer never pays for a ticket the tickets service refused. Anything else — already
 * confirmed, cancelled, complete, another ticket, unknown — is left alone.
 */
export async function confirmReservation(orderId: string, ticketId: string): Promise<ConfirmOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const order = await Order.findById(orderId, { outbox: 0 }).lean();
    if (!order || order.status !== OrderStatus.Created || order.ticket.id !== ticketId) return 'not-waiting';
    const event = outboxEntry(Subjects.OrderAwaitingPayment, { id: orderId, version: order.version + 1, ticket: { id: ticketId } });
    const written = await Order.findOneAndUpdate(
      { _id: order._id, version: order.version, status: OrderStatus.Created },
      { $set: { status: OrderStatus.AwaitingPayment }, $inc: { version: 1 }, ...pushOutbox(event) },
      { returnDocument: 'after', projection: { _id: 1 } },
    );
    if (written) return 'confirmed';
  }
  throw new Error(`order ${orderId}: could not become ${OrderStatus.AwaitingPayment} after ${MAX_ATTEMPTS} concurrent changes`);
}
