import { Order, type OrderPaymentStatus } from '../models/order';

export interface PaymentNews {
  /** The payment's id in the payments service (a canonical ObjectId: safe as a map key). */
  id: string;
  status: OrderPaymentStatus;
  /** The payment's own version (its event's): created 0, captured / voided 1, refunded 2. */
  version: number;
  /** Cents; kept from an earlier event when this one does not say. */
  amount?: number;
}

export type RecordOutcome = 'recorded' | 'stale' | 'order-not-found';

/**
 * Records what a payment event says on the order's `payments.<paymentId>` entry, forward only:
 * ONE conditional write, applied only when the entry is absent or older than this news, so a
 * redelivered or out-of-order event changes nothing, and two listeners (on two replicas)
 * recording news of the same order at once cannot undo each other (no read-modify-write).
 * Never touches the order's `version` (replicas compare it). A write that matches nothing is
 * old news, or news of an order we do not have: one read tells which.
 */
export async function recordPayment(orderId: string, news: PaymentNews): Promise<RecordOutcome> {
  const at = `payments.${news.id}`;
  const written = await Order.updateOne(
    { _id: orderId, $or: [{ [at]: { $exists: false } }, { [`${at}.version`]: { $lt: news.version } }] },
    {
      $set: {
        [`${at}.status`]: news.status,
        [`${at}.version`]: news.version,
        [`${at}.updatedAt`]: new Date(),
        ...(news.amount !== undefined ? { [`${at}.amount`]: news.amount } : {}),
      },
    },
  );
  if (written.matchedCount === 1) return 'recorded';
  return (await Order.exists({ _id: orderId })) ? 'stale' : 'order-not-found';
}
