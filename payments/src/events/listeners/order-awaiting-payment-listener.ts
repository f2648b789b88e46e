import { defineListener, OrderStatus, Subjects } from '@ticketing/common';
import { applyOrderVersion } from '../apply-order-event';

/** order.awaiting-payment: the tickets service holds the ticket as ordered; the order may be paid. */
export const orderAwaitingPaymentListener = defineListener({
  subject: Subjects.OrderAwaitingPayment,
  async handle(data, { logger }) {
    const outcome = await applyOrderVersion(data.id, data.version, { status: OrderStatus.AwaitingPayment });
    logger.debug({ orderId: data.id, version: data.version, outcome }, 'order.awaiting-payment handled');
  },
});
