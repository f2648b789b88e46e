import { defineListener, Subjects } from '@ticketing/common';
import { completeOrder } from '../../lifecycle/complete-order';

/** A payment went through: the order is complete and its ticket sold. */
export const paymentCreatedListener = defineListener({
  subject: Subjects.PaymentCreated,
  async handle(data, { logger }) {
    const outcome = await completeOrder(data.orderId);
    if (outcome === 'not-found') throw new Error(`order ${data.orderId} not found`);
    if (outcome === 'cancelled') {
      // The order expired (or was cancelled) before the payment arrived: never resurrect it;
      // the money must go back. Logged as an error so operators see and refund it.
      logger.error(
        { orderId: data.orderId, paymentId: data.id, stripeId: data.stripeId },
        'payment received for a cancelled order: refund needed',
      );
      return;
    }
    logger.info({ orderId: data.orderId, paymentId: data.id, outcome }, 'payment applied');
  },
});
