import { OrderStatus } from '@ticketing/common';
import { settleOrder } from './settle-order';

export type CompleteOutcome = 'completed' | 'already-complete' | 'cancelled' | 'not-found';

const OUTCOMES = { settled: 'completed', already: 'already-complete', 'other-final': 'cancelled', 'not-found': 'not-found' } as const;

/**
 * Marks an order paid; order.completed keeps replicas such as the payments service on the
 * same version. The order keeps its reservationKey: a sold ticket stays held for good. A
 * cancelled order is never resurrected; the caller decides what that means (a refund).
 */
export async function completeOrder(orderId: string): Promise<CompleteOutcome> {
  return OUTCOMES[await settleOrder(orderId, OrderStatus.Complete)];
}
