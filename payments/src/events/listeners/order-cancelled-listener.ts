import { defineListener, OrderStatus, Subjects } from '@ticketing/common';
import { applyOrderVersion } from '../apply-order-event';

/** order.cancelled: the order can no longer be paid. */
export const orderCancelledListener = defineListener({
  subject: Subjects.OrderCancelled,
  async handle(data, { logger }) {
    const outcome = await applyOrderVersion(data.id, data.version, { status: OrderStatus.Cancelled });
    logger.debug({ orderId: data.id, version: data.version, outcome }, 'order.cancelled handled');
  },
});
