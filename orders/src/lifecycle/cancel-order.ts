import { OrderStatus } from '@ticketing/common';
import { releasedKey } from '../models/order';
import { settleOrder } from './settle-order';

export type CancelOutcome = 'cancelled' | 'already-cancelled' | 'complete' | 'not-found';

const OUTCOMES = { settled: 'cancelled', already: 'already-cancelled', 'other-final': 'complete', 'not-found': 'not-found' } as const;

/**
 * Cancels an order (buyer's DELETE or expiry) unless it is complete, freeing its ticket: the
 * reservationKey becomes `released:<id>` in the same write. No second event for an order
 * already cancelled.
 */
export async function cancelOrder(orderId: string): Promise<CancelOutcome> {
  return OUTCOMES[await settleOrder(orderId, OrderStatus.Cancelled, { reservationKey: releasedKey(orderId) })];
}
