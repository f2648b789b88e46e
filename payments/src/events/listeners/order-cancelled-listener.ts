import { defineListener, OrderStatus, Subjects } from '@ticketing/common';
import { settlePayments, type SettleContext } from '../../domain/settle-payments';
import { signalOrderChanged } from '../../domain/order-replica-signal';
import { applyOrderVersion } from '../apply-order-event';

/**
 * order.cancelled: the order can no longer be paid; its holds are released (voided) and any
 * captured money refunded. Settled on every delivery, duplicates included, so a process that
 * died between applying and settling finishes on redelivery; a processor outage retries.
 */
export const orderCancelledListener = (settle: Omit<SettleContext, 'logger'>) =>
  defineListener({
    subject: Subjects.OrderCancelled,
    async handle(data, { logger }) {
      const outcome = await applyOrderVersion(data.id, data.version, { status: OrderStatus.Cancelled });
      logger.debug({ orderId: data.id, version: data.version, outcome }, 'order.cancelled handled');
      await settlePayments(data.id, { ...settle, logger });
      signalOrderChanged(data.id); // a payment waiting for this decision answers now
    },
  });
