import { buildIndexes } from '@ticketing/common';
import type { Logger } from 'pino';
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
export async function ensureIndexes(logger: Logger): Promise<void> {
  await buildIndexes('payments', async () => {
    await migrateLegacyPayments();
    // createIndexes, not init(): init's build started when the model connected, possibly before
    // the migration, and init() answers every later call with that first outcome (no retry).
    await Promise.all([Order.createIndexes(), Payment.createIndexes(), SandboxIntent.createIndexes()]);
  }, logger);
}
