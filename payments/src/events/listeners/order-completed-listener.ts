import { defineListener, OrderStatus, Subjects } from '@ticketing/common';
import { settlePayments, type SettleContext } from '../../domain/settle-payments';
import { signalOrderChanged } from '../../domain/order-replica-signal';
import { applyOrderVersion } from '../apply-order-event';

/**
 * order.completed: the order completed with the payment it accepted: that one is captured,
 * any other hold released. Settled on every delivery (see order-cancelled-listener).
 */
export const orderCompletedListener = (settle: Omit<SettleContext, 'logger'>) =>
  defineListener({
    subject: Subjects.OrderCompleted,
    async handle(data, { logger }) {
      const outcome = await applyOrderVersion(data.id, data.version, { status: OrderStatus.Complete });
      logger.debug({ orderId: data.id, version: data.version, outcome }, 'order.completed handled');
      await settlePayments(data.id, { ...settle, logger });
      signalOrderChanged(data.id); // a payment waiting for this decision answers now
    },
  });
