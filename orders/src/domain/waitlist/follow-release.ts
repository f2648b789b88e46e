import { OrderCancelReason, OrderStatus } from '@ticketing/common';
import { Order } from '../../models/order';
import { offerReleasedTicket, type HandoverContext, type HandoverOutcome } from './handover';
import { clearWaitlist, WaitlistReasons } from './move-entry';

/**
 * What follows an order's cancellation (buyer, expiry, sweep, refused reservation): its ticket
 * is free, so the first in line gets it — unless the order died because the seller changed the
 * ticket, which empties the line (those waiting asked for the ticket as it was). Idempotent:
 * run it again after a failure or a redelivery.
 */
export async function followRelease(orderId: string, ctx: HandoverContext): Promise<HandoverOutcome | 'cleared' | 'not-released'> {
  const order = await Order.findById(orderId, { 'ticket.id': 1, status: 1, cancelReason: 1 }).lean();
  if (order?.status !== OrderStatus.Cancelled) return 'not-released';
  if (order.cancelReason === OrderCancelReason.TicketChanged) {
    await clearWaitlist(order.ticket.id, WaitlistReasons.changed);
    return 'cleared';
  }
  return offerReleasedTicket(order.ticket.id, ctx);
}
