import { ConflictError, ServiceUnavailableError } from '@ticketing/common';
import { GatewayUnavailableError, PaymentInProgressError } from '../gateway';
import { Payment, PaymentStatus, type OrderReplica } from '../models';
import { markFailed } from './payment-transitions';
import type { SettleContext } from './settle-payments';
import { startAttempt } from './start-attempt';

export interface CreatedIntent {
  id: string;
  clientSecret: string;
  amount: number;
  currency: string;
}

/**
 * POST /api/payments/intents {orderId}: an unconfirmed manual-capture intent for the Payment
 * Element, under the attempt's key (the same attempt gets the same intent back). Stored as a
 * `pending` payment with its intent id, so only it can later pay this order.
 */
export async function createPaymentIntent(order: OrderReplica, ctx: SettleContext): Promise<CreatedIntent> {
  const orderId = order._id.toHexString();
  const payment = await startAttempt(order, undefined);
  if (payment.token !== undefined) throw new ConflictError('A card payment for this order is in progress; try again');
  try {
    const intent = await ctx.gateway.createIntent({
      orderId,
      attempt: payment.attempt,
      amountCents: payment.amountCents,
      idempotencyKey: payment.idempotencyKey,
    });
    await Payment.updateOne(
      { _id: payment._id, status: PaymentStatus.Pending, stripeId: { $exists: false } },
      { $set: { stripeId: intent.id, livemode: intent.livemode } },
    );
    return { id: payment._id.toHexString(), clientSecret: intent.clientSecret ?? '', amount: intent.amountCents, currency: intent.currency };
  } catch (err) {
    if (err instanceof PaymentInProgressError) throw new ConflictError(err.message);
    if (err instanceof GatewayUnavailableError) {
      // No intent to confirm: this attempt is over (an intent created unseen holds no money).
      await markFailed(payment, 'The payment processor could not be reached');
      throw new ServiceUnavailableError(err.message);
    }
    throw err;
  }
}
