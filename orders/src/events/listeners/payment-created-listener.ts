import { defineListener, Subjects } from '@ticketing/common';
import { completeOrder } from '../../domain/complete-order';
import { recordPayment } from '../../domain/record-payment';
import { Order } from '../../models/order';
import { clearWaitlist, WaitlistReasons } from '../../domain/waitlist/move-entry';

/**
 * A payment was authorised (money held, not taken) and is the one the order accepted: the order
 * completes, in settleOrder's one conditional write, unless it was cancelled or expired first.
 * Either way payments reads the outcome (order.completed, or the order.cancelled it already
 * has) and captures, or releases the hold: nobody needs to act here.
 */
export const paymentCreatedListener = defineListener({
  subject: Subjects.PaymentCreated,
  async handle(data, { logger }) {
    const outcome = await completeOrder(data.orderId);
    if (outcome === 'not-found') throw new Error(`order ${data.orderId} not found`);
    if (outcome === 'completed' || outcome === 'already-complete') {
      // Sold: those waiting for the ticket will not get it (a resale starts a new line).
      const sold = await Order.findById(data.orderId, { 'ticket.id': 1 }).lean();
      if (sold) await clearWaitlist(sold.ticket.id, WaitlistReasons.sold);
    }
    await recordPayment(data.orderId, { id: data.id, status: 'authorized', version: data.version, amount: data.amount });
    const log = { orderId: data.orderId, paymentId: data.id, stripeId: data.stripeId, outcome };
    if (outcome === 'cancelled') logger.info(log, 'payment arrived after the order was cancelled; payments releases the hold');
    else logger.info(log, 'payment applied');
  },
});
