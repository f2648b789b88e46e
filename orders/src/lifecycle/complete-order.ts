import { OrderStatus, outboxEntry, pushOutbox, Subjects } from '@ticketing/common';
import { Order } from '../models/order';

export type CompleteOutcome = 'completed' | 'already-complete' | 'cancelled' | 'not-found';

const MAX_ATTEMPTS = 5;

/**
 * Marks an order paid. ONE conditional write from an active status to complete, version+1,
 * with order.completed recorded (so replicas such as the payments service follow the same
 * version). The order keeps its reservationKey: a sold ticket stays held for good. A
 * cancelled order is never resurrected; the caller decides what that means (a refund).
 */
export async function completeOrder(orderId: string): Promise<CompleteOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const order = await Order.findById(orderId, { outbox: 0 }).lean();
    if (!order) return 'not-found';
    if (order.status === OrderStatus.Complete) return 'already-complete';
    if (order.status === OrderStatus.Cancelled) return 'cancelled';

    const completed = outboxEntry(Subjects.OrderCompleted, {
      id: orderId,
      version: order.version + 1,
      ticket: { id: order.ticket.id },
    });
    const written = await Order.findOneAndUpdate(
      { _id: order._id, version: order.version, status: { $in: [OrderStatus.Created, OrderStatus.AwaitingPayment] } },
      { $set: { status: OrderStatus.Complete }, $inc: { version: 1 }, ...pushOutbox(completed) },
      { new: true },
    );
    if (written) return 'completed';
  }
  throw new Error(`order ${orderId}: could not complete after ${MAX_ATTEMPTS} concurrent changes`);
}
