import type { Listener } from '@ticketing/common';
import type { ExpirationQueue } from '../../queue/expiration-queue';
import { orderCreatedListener } from './order-created-listener';

/** Every event the expiration worker consumes: order.created schedules the order's expiry. */
export function expirationListeners(expirations: ExpirationQueue): Listener[] {
  return [orderCreatedListener(expirations)];
}
