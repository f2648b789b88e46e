import { orderCancelledListener } from './order-cancelled-listener';
import { orderCreatedListener } from './order-created-listener';

export { orderCancelledListener, orderCreatedListener };

/** Every listener of the tickets service, each on its own durable consumer. */
export const ticketsListeners = [orderCreatedListener, orderCancelledListener];
