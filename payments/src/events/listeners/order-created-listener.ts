import { defineListener, Subjects } from '@ticketing/common';
import { insertOrApplyOrder } from '../apply-order-event';

/** order.created: a new order to accept payment for, at the ticket's price. */
export const orderCreatedListener = defineListener({
  subject: Subjects.OrderCreated,
  async handle(data, { logger }) {
    const outcome = await insertOrApplyOrder(data.id, data.version, {
      userId: data.userId,
      status: data.status,
      price: data.ticket.price,
      expiresAt: new Date(data.expiresAt),
    });
    logger.debug({ orderId: data.id, version: data.version, outcome }, 'order.created handled');
  },
});
