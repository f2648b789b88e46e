import type { Listener } from '@ticketing/common';
import { orderCancelledListener } from './order-cancelled-listener';
import { orderCompletedListener } from './order-completed-listener';
import { orderCreatedListener } from './order-created-listener';

/** Everything that keeps the order replica in sync. */
export const orderListeners: Listener[] = [
  orderCreatedListener,
  orderCancelledListener,
  orderCompletedListener,
];
