import { orderCancelledListener } from './order-cancelled-listener';
import { orderCompletedListener } from './order-completed-listener';
import { orderCreatedListener } from './order-created-listener';

export { orderCancelledListener, orderCompletedListener, orderCreatedListener };

/** Every listener of the tickets service, each on its own durable consumer. */
export const ticketsListeners = [orderCreatedListener, orderCancelledListener, orderCompletedListener];
