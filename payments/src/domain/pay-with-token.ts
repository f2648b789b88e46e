import { BadRequestError, ConflictError, PaymentRequiredError, ServiceUnavailableError } from '@ticketing/common';
import {
  CardDeclinedError,
  GatewayUnavailableError,
  InvalidPaymentTokenError,
  PaymentInProgressError,
  type IntentState,
} from '../gateway';
import { PaymentStatus, type OrderReplica } from '../models';
import { moveToNextAttempt } from './attempts';
import { answerFor, type PaymentAnswer } from './payment-answer';
import { applyIntentState, markFailed } from './payment-transitions';
import { settlePayments, type SettleContext } from './settle-payments';
import { startAttempt } from './start-attempt';

/**
 * POST /api/payments {orderId, token}: authorises the order's price on the card under the
 * attempt's key, applies the outcome, lets the reconciler accept it, and answers (see answerFor).
 * Any outcome that is final for the attempt and not a success moves the order to its next
 * attempt, so the buyer can always try again while the order is open.
 */
export async function payWithToken(order: OrderReplica, token: string, ctx: SettleContext & { waitMs: number }): Promise<PaymentAnswer> {
  const orderId = order._id.toHexString();
  let payment = await startAttempt(order, token);
  if (payment.token === undefined) {
    // This attempt's key is a Payment Element intent's: the next attempt is the card's.
    await moveToNextAttempt(orderId, payment.attempt);
    throw new ConflictError('A payment for this order was started in the browser; try again');
  }

  let intent: IntentState;
  try {
    intent = await ctx.gateway.authorize({
      orderId,
      attempt: payment.attempt,
      amountCents: payment.amountCents,
      token,
      idempotencyKey: payment.idempotencyKey,
    });
  } catch (err) {
    if (err instanceof CardDeclinedError) {
      await markFailed(payment, err.message);
      throw new PaymentRequiredError(err.message);
    }
    if (err instanceof InvalidPaymentTokenError) {
      await markFailed(payment, err.message);
      throw new BadRequestError(err.message, 'token');
    }
    // The key is busy (a concurrent request) or was used with another card: nothing moves.
    if (err instanceof PaymentInProgressError) throw new ConflictError(err.message);
    if (err instanceof GatewayUnavailableError) {
      // Outcome unknown: the payment stays pending for the reconciler (a hold that appears
      // later is voided, since the order will have accepted another payment or ended).
      await moveToNextAttempt(orderId, payment.attempt);
      throw new ServiceUnavailableError(err.message);
    }
    throw err;
  }

  payment = await applyIntentState(payment, intent);
  // The buyer may choose another card instead of authenticating this one.
  if (payment.status === PaymentStatus.RequiresAction) await moveToNextAttempt(orderId, payment.attempt);
  await settleQuietly(orderId, ctx);
  return answerFor(payment, { waitMs: ctx.waitMs, clientSecret: intent.clientSecret });
}

/** Settles after a request; the processor being down only delays it (the sweep comes back). */
export async function settleQuietly(orderId: string, ctx: SettleContext): Promise<void> {
  try {
    await settlePayments(orderId, ctx);
  } catch (err) {
    ctx.logger.warn({ err, orderId }, 'settling the order’s payments failed; the sweep retries');
  }
}
