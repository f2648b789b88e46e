import { SandboxIntent } from '../gateway/sandbox/sandbox-intent';
import { migrateLegacyPayments } from './legacy-payments';
import { Order } from './order';
import { Payment } from './payment';

export { amountInCents, Order, type OrderReplica } from './order';
export { Payment, PaymentStatus, UNSETTLED_PAYMENT_STATUSES, type PaymentRecord } from './payment';

/**
 * Waits until the indexes exist: "one payment per attempt" and "one accepted payment per
 * order" rest on the unique indexes on Payment.idempotencyKey and Payment.acceptedFor, so the
 * service must not take payments before they are built.
 */
export async function ensureIndexes(): Promise<void> {
  await migrateLegacyPayments();
  // createIndexes, not init(): init's build started when the model connected, possibly before
  // the migration, and is not repeated.
  await Promise.all([Order.init(), Payment.createIndexes(), SandboxIntent.init()]);
}
