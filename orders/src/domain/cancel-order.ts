import { OrderStatus, type OrderCancelReason } from '@ticketing/common';
import { releasedKey } from '../models/order';
import { settleOrder } from './settle-order';

export type CancelOutcome = 'cancelled' | 'already-cancelled' | 'complete' | 'not-found';

const OUTCOMES = { settled: 'cancelled', already: 'already-cancelled', 'other-final': 'complete', 'not-found': 'not-found' } as const;

/**
 * Cancels an order (buyer's DELETE, expiry, or the tickets service refusing it) unless it is
 * complete, freeing its ticket: the reservationKey becomes `released:<id>` and the reason the
 * buyer reads is recorded, in the same write. No second event (nor a new reason) for an order
 * already cancelled.
 */
export async function cancelOrder(orderId: string, reason: OrderCancelReason): Promise<CancelOutcome> {
  return OUTCOMES[await settleOrder(orderId, OrderStatus.Cancelled, { reservationKey: releasedKey(orderId), cancelReason: reason })];
}
