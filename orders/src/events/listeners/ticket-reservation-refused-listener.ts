import { defineListener, OrderCancelReason, Subjects } from '@ticketing/common';
import { cancelOrder } from '../../domain/cancel-order';
import type { HandoverContext } from '../../domain/waitlist/handover';
import { followRelease } from '../../domain/waitlist/follow-release';
import { clearNotForSale } from '../../domain/waitlist/move-entry';

/**
 * The tickets service would not let the order hold its ticket: the seller changed it (price or
 * title) before the reservation arrived, so the buyer would pay for something else than they
 * saw — or it is not for sale any more (sold, withdrawn). Cancel the order, telling the buyer
 * why; those waiting for the ticket are told too (their line is emptied).
 */
export const ticketReservationRefusedListener = (handover: HandoverContext) =>
  defineListener({
    subject: Subjects.TicketReservationRefused,
    async handle(data, { logger }) {
      const outcome = await cancelOrder(data.orderId, OrderCancelReason.TicketChanged);
      if (outcome === 'not-found') throw new Error(`order ${data.orderId} not found`);
      if (outcome === 'complete') {
        // Paid before the tickets service saw the order (its consumer lagging behind payments'):
        // the buyer paid the price they saw; the listing no longer matches it. Operators decide.
        logger.error({ orderId: data.orderId, ticketId: data.ticketId }, 'reservation refused for a paid order: ticket changed under it');
        return;
      }
      if (data.reason === 'not-for-sale') await clearNotForSale(data.ticketId);
      await followRelease(data.orderId, handover);
      logger.info({ orderId: data.orderId, ticketId: data.ticketId, outcome }, 'order cancelled: its ticket changed');
    },
  });
