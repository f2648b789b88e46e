import { BadRequestError, PaymentRequiredError, ServiceUnavailableError } from '@ticketing/common';
import { GatewayUnavailableError, InvalidPaymentTokenError } from '../gateway';
import { Payment, PaymentStatus, type OrderReplica, type PaymentRecord } from '../models';
import { moveToNextAttempt } from './attempts';
import { answerFor, type PaymentAnswer } from './payment-answer';
import { settleQuietly } from './pay-with-token';
import { applyIntentState } from './payment-transitions';
import type { SettleContext } from './settle-payments';

/**
 * POST /api/payments {orderId, paymentIntentId}: the browser confirmed an intent from
 * POST /api/payments/intents (Payment Element). Only an intent payments created for this order
 * counts, and only with the amount, currency and mode stored for it; its status is read from
 * the processor (never taken from the browser) and applied like a card payment's.
 */
export async function payWithIntent(order: OrderReplica, paymentIntentId: string, ctx: SettleContext & { waitMs: number }): Promise<PaymentAnswer> {
  const orderId = order._id.toHexString();
  const payment = await Payment.findOne({ orderId, stripeId: paymentIntentId }).lean<PaymentRecord>();
  const unknown = new BadRequestError('Not a payment intent of this order', 'paymentIntentId');
  if (!payment) throw unknown;

  let intent;
  try {
    intent = await ctx.gateway.retrieve(paymentIntentId);
  } catch (err) {
    if (err instanceof GatewayUnavailableError) throw new ServiceUnavailableError(err.message);
    if (err instanceof InvalidPaymentTokenError) throw unknown;
    throw err;
  }
  if (
    intent.amountCents !== payment.amountCents ||
    intent.currency !== payment.currency ||
    (payment.livemode !== undefined && intent.livemode !== payment.livemode) ||
    intent.metadata.orderId !== orderId
  ) {
    ctx.logger.error({ orderId, paymentIntent: paymentIntentId }, 'payment intent does not match what was stored for it; ignored');
    throw unknown;
  }

  const applied = await applyIntentState(payment, intent);
  // Declined in the browser: the intent stays open and may be confirmed again with another card.
  if (applied.status === PaymentStatus.Pending && intent.status === 'requires_payment_method' && intent.lastError) {
    throw new PaymentRequiredError(intent.lastError);
  }
  if (applied.status === PaymentStatus.RequiresAction) await moveToNextAttempt(orderId, applied.attempt);
  await settleQuietly(orderId, ctx);
  return answerFor(applied, { waitMs: ctx.waitMs, clientSecret: intent.clientSecret });
}
