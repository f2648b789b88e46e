import { defineListener, OrderCancelReason, Subjects } from '@ticketing/common';
import { cancelOrder } from '../../domain/cancel-order';
import type { HandoverContext } from '../../domain/waitlist/handover';
import { followRelease } from '../../domain/waitlist/follow-release';

/**
 * An order's payment window is over: cancel it unless it was paid, then hand the ticket to the
 * first in line. A failed handover fails the event: its redelivery finds the order cancelled and
 * tries the handover again.
 */
export const expirationCompleteListener = (handover: HandoverContext) =>
  defineListener({
    subject: Subjects.ExpirationComplete,
    async handle(data, { logger }) {
      const outcome = await cancelOrder(data.orderId, OrderCancelReason.Expired);
      // We own every order; an unknown one is an anomaly: retry, then the dead-letter stream.
      if (outcome === 'not-found') throw new Error(`order ${data.orderId} not found`);
      const next = outcome === 'complete' ? undefined : await followRelease(data.orderId, handover);
      logger.info({ orderId: data.orderId, outcome, waitlist: next }, 'order expiry handled');
    },
  });
