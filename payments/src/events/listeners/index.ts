import type { Listener } from '@ticketing/common';
import { orderAwaitingPaymentListener } from './order-awaiting-payment-listener';
import { orderCancelledListener } from './order-cancelled-listener';
import { orderCompletedListener } from './order-completed-listener';
import { orderCreatedListener } from './order-created-listener';

/** Everything that keeps the order replica in sync. */
export const orderListeners: Listener[] = [
  orderCreatedListener,
  orderAwaitingPaymentListener,
  orderCancelledListener,
  orderCompletedListener,
];
