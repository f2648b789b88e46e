import { defineListener, RetryLaterError, Subjects, type Listener } from '@ticketing/common';
import type { OrderPaymentStatus } from '../../models/order';
import { recordPayment } from '../../domain/record-payment';

type OutcomeSubject = typeof Subjects.PaymentCaptured | typeof Subjects.PaymentVoided | typeof Subjects.PaymentRefunded;

/**
 * Records a payment's outcome on its order, for the buyer to see (GET /api/orders/:id). The
 * order's own state is not touched: payments acts on the order's decision, not the reverse.
 */
function paymentOutcomeListener<S extends OutcomeSubject>(subject: S, status: OrderPaymentStatus): Listener<S> {
  return defineListener({
    subject,
    async handle(data, { logger }) {
      const amount = 'amount' in data ? data.amount : undefined;
      const outcome = await recordPayment(data.orderId, { id: data.id, status, version: data.version, amount });
      // Placed orders reach payments only through our own events, so the order exists: retry
      // rather than lose the news (an order is never deleted).
      if (outcome === 'order-not-found') throw new RetryLaterError(`order ${data.orderId} is not known (yet): ${subject} of payment ${data.id} waits`);
      const log = { orderId: data.orderId, paymentId: data.id, stripeId: data.stripeId, version: data.version, status };
      if (outcome === 'stale') logger.debug(log, 'payment news already recorded (or older than what is); ignored');
      else logger.info(log, 'payment news recorded on the order');
    },
  });
}

/** The buyer was charged (the order completed). */
export const paymentCapturedListener = paymentOutcomeListener(Subjects.PaymentCaptured, 'captured');
/** The hold was released: the buyer was not charged. */
export const paymentVoidedListener = paymentOutcomeListener(Subjects.PaymentVoided, 'voided');
/** The money went back to the buyer. */
export const paymentRefundedListener = paymentOutcomeListener(Subjects.PaymentRefunded, 'refunded');
