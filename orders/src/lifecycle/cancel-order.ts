import { OrderStatus, outboxEntry, pushOutbox, Subjects } from '@ticketing/common';
import { Order, releasedKey } from '../models/order';

export type CancelOutcome = 'cancelled' | 'already-cancelled' | 'complete' | 'not-found';

/** An order changes state a few times at most, so a few lost races mean something is wrong. */
const MAX_ATTEMPTS = 5;

/**
 * Cancels an order (buyer's DELETE or expiry) unless it is complete. ONE conditional write
 * moves it from an active status to cancelled, frees the ticket (reservationKey becomes
 * `released:<id>`), bumps the version and records order.cancelled. The filter includes the
 * version read, so the event's version is exactly the one written; a lost race (paid or
 * cancelled meanwhile) is re-read and decided again. Idempotent: an already cancelled
 * order is left alone and no second event is recorded.
 */
export async function cancelOrder(orderId: string): Promise<CancelOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const order = await Order.findById(orderId, { outbox: 0 }).lean();
    if (!order) return 'not-found';
    if (order.status === OrderStatus.Cancelled) return 'already-cancelled';
    if (order.status === OrderStatus.Complete) return 'complete';

    const cancelled = outboxEntry(Subjects.OrderCancelled, {
      id: orderId,
      version: order.version + 1,
      ticket: { id: order.ticket.id },
    });
    const written = await Order.findOneAndUpdate(
      { _id: order._id, version: order.version, status: { $in: [OrderStatus.Created, OrderStatus.AwaitingPayment] } },
      {
        $set: { status: OrderStatus.Cancelled, reservationKey: releasedKey(orderId) },
        $inc: { version: 1 },
        ...pushOutbox(cancelled),
      },
      { new: true },
    );
    if (written) return 'cancelled';
  }
  throw new Error(`order ${orderId}: could not cancel after ${MAX_ATTEMPTS} concurrent changes`);
}
