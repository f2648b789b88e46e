import { defineListener, OrderStatus, Subjects } from '@ticketing/common';
import { applyOrderVersion } from '../apply-order-event';

/** order.completed: the order is paid (by us); any further attempt is refused. */
export const orderCompletedListener = defineListener({
  subject: Subjects.OrderCompleted,
  async handle(data, { logger }) {
    const outcome = await applyOrderVersion(data.id, data.version, { status: OrderStatus.Complete });
    logger.debug({ orderId: data.id, version: data.version, outcome }, 'order.completed handled');
  },
});
