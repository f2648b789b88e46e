import { Order } from './order';
import { Payment } from './payment';

export { amountInCents, Order, type OrderReplica } from './order';
export { Payment, type PaymentRecord } from './payment';

/**
 * Waits until the indexes exist: "one payment per order" rests on the unique index on
 * Payment.orderId, so the service must not take payments before it is built.
 */
export async function ensureIndexes(): Promise<void> {
  await Promise.all([Order.init(), Payment.init()]);
}
