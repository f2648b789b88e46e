import { canonicalObjectId, OrderStatus, ServiceUnavailableError, type Logger } from '@ticketing/common';
import type Stripe from 'stripe';
import { CURRENCY } from '../gateway/payment-gateway';
import { amountInCents, Order } from '../models';
import { recordPayment } from './record-payment';

/**
 * payment_intent.succeeded: records the order's payment if the synchronous path did not
 * (e.g. the process died between the charge and the insert). Idempotent like every path to
 * recordPayment, so Stripe's redeliveries change nothing. An intent whose amount or currency
 * is not what this order costs was not created by us for it (payments always charges the
 * order's price in CURRENCY): it never marks the order paid.
 */
export async function recordWebhookPayment(intent: Stripe.PaymentIntent, logger: Logger): Promise<void> {
  // Canonical like every id entering the system: a differently cased id is the same order.
  const orderId = canonicalObjectId(intent.metadata?.orderId);
  if (orderId === undefined) {
    logger.warn({ paymentIntent: intent.id }, 'succeeded PaymentIntent without an order id; ignored');
    return;
  }
  const order = await Order.findById(orderId, { status: 1, price: 1 }).lean();
  // Our replica lags the orders service: answer 503 so Stripe redelivers later.
  if (!order) throw new ServiceUnavailableError('Order not known yet; retry later');
  const expected = { amount: amountInCents(order.price), currency: CURRENCY };
  if (intent.amount !== expected.amount || intent.currency !== expected.currency) {
    logger.error(
      { orderId, paymentIntent: intent.id, amount: intent.amount, currency: intent.currency, expected },
      'succeeded PaymentIntent does not match its order (amount or currency); not recorded',
    );
    return;
  }

  const { payment, created } = await recordPayment({ orderId, stripeId: intent.id });
  if (created) {
    logger.info({ orderId, paymentIntent: intent.id, paymentId: payment.id }, 'payment recorded from webhook');
    if (order.status === OrderStatus.Cancelled) {
      logger.error({ orderId, paymentIntent: intent.id }, 'payment succeeded for a cancelled order; refund needed');
    }
  } else if (payment.stripeId !== intent.id) {
    logger.error({ orderId, recorded: payment.stripeId, charged: intent.id }, 'order charged twice; refund needed');
  }
}
