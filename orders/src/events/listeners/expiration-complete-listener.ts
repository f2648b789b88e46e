import { defineListener, OrderCancelReason, Subjects } from '@ticketing/common';
import { cancelOrder } from '../../lifecycle/cancel-order';

/** An order's payment window is over: cancel it unless it was paid. */
export const expirationCompleteListener = defineListener({
  subject: Subjects.ExpirationComplete,
  async handle(data, { logger }) {
    const outcome = await cancelOrder(data.orderId, OrderCancelReason.Expired);
    // We own every order; an unknown one is an anomaly: retry, then the dead-letter stream.
    if (outcome === 'not-found') throw new Error(`order ${data.orderId} not found`);
    logger.info({ orderId: data.orderId, outcome }, 'order expiry handled');
  },
});
