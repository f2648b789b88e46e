import type { Listener } from '@ticketing/common';
import type { SettleContext } from '../../domain/settle-payments';
import { orderAwaitingPaymentListener } from './order-awaiting-payment-listener';
import { orderCancelledListener } from './order-cancelled-listener';
import { orderCompletedListener } from './order-completed-listener';
import { orderCreatedListener } from './order-created-listener';

/** Everything that keeps the order replica in sync, and settles payments when an order ends. */
export function paymentsListeners(settle: Omit<SettleContext, 'logger'>): Listener[] {
  return [orderCreatedListener, orderAwaitingPaymentListener, orderCancelledListener(settle), orderCompletedListener(settle)];
}
