import { OrderStatus, outboxEntry, pushOutbox, Subjects, UNPAID_ORDER_STATUSES } from '@ticketing/common';
import { Order } from '../models/order';

/** An order changes state a few times at most, so a few lost races mean something is wrong. */
const MAX_ATTEMPTS = 5;

const FINAL = {
  [OrderStatus.Cancelled]: { subject: Subjects.OrderCancelled, other: OrderStatus.Complete },
  [OrderStatus.Complete]: { subject: Subjects.OrderCompleted, other: OrderStatus.Cancelled },
} as const;

export type SettleOutcome = 'settled' | 'already' | 'other-final' | 'not-found';

/**
 * Moves an active order (created / awaiting:payment) to a final status in ONE conditional
 * write: status, `extra` fields, version + 1 and the matching event (order.cancelled or
 * order.completed) recorded together. The filter includes the version read, so the event's
 * version is exactly the one written; a lost race is re-read and decided again. Idempotent:
 * an order already in `to` is left alone, and one in the other final status is never changed.
 * Either way the order no longer counts toward its buyer's cap: its buyer slot is cleared.
 */
export async function settleOrder(
  orderId: string,
  to: OrderStatus.Cancelled | OrderStatus.Complete,
  extra: Record<string, unknown> = {},
): Promise<SettleOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const order = await Order.findById(orderId, { outbox: 0 }).lean();
    if (!order) return 'not-found';
    if (order.status === to) return 'already';
    if (order.status === FINAL[to].other) return 'other-final';

    const ticket = { id: order.ticket.id, ...(order.orderSeq ? { orderSeq: order.orderSeq } : {}) };
    // The buyer rides along so that the live service can tell them (and only them).
    const event = outboxEntry(FINAL[to].subject, { id: orderId, version: order.version + 1, ticket, userId: order.userId });
    const written = await Order.findOneAndUpdate(
      { _id: order._id, version: order.version, status: { $in: UNPAID_ORDER_STATUSES } },
      { $set: { status: to, ...extra }, $unset: { buyerSlot: 1 }, $inc: { version: 1 }, ...pushOutbox(event) },
      { returnDocument: 'after' },
    );
    if (written) return 'settled';
  }
  throw new Error(`order ${orderId}: could not become ${to} after ${MAX_ATTEMPTS} concurrent changes`);
}
