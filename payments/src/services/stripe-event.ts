import { ServiceUnavailableError, canonicalObjectId, type Logger } from '@ticketing/common';
import type Stripe from 'stripe';
import { GatewayUnavailableError, InvalidPaymentTokenError } from '../gateway';
import { Payment, PaymentStatus, type PaymentRecord } from '../models';
import { applyIntentState, markRefunded } from './payment-transitions';
import { settlePayments, type SettleContext } from './settle-payments';

/** The webhook event types that say something about one of our intents. */
export const HANDLED_EVENT_TYPES = [
  'payment_intent.amount_capturable_updated',
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'payment_intent.processing',
  'payment_intent.requires_action',
  'charge.refunded',
] as const;

/** What an event claims about the intent, checked against what we stored before anything is done. */
interface Claim {
  intentId: string;
  amount: number;
  currency: string;
  livemode: boolean;
  metadata: Record<string, string> | null | undefined;
  refundId?: string;
}

function claimOf(event: Stripe.Event): Claim | undefined {
  if (event.type === 'charge.refunded') {
    const charge = event.data.object;
    const intentId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    if (!intentId) return undefined;
    return {
      intentId,
      amount: charge.amount,
      currency: charge.currency,
      livemode: event.livemode,
      metadata: charge.metadata,
      refundId: charge.refunds?.data?.[0]?.id,
    };
  }
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(event.type) || !event.type.startsWith('payment_intent.')) return undefined;
  const intent = event.data.object as Stripe.PaymentIntent;
  if (intent.livemode !== undefined && intent.livemode !== event.livemode) return undefined;
  return { intentId: intent.id, amount: intent.amount, currency: intent.currency, livemode: event.livemode, metadata: intent.metadata };
}

/**
 * The payment an event is about: by intent id, or — when the process died before it recorded
 * the id — the pending payment of the order and attempt named in the intent's metadata.
 */
async function storedPaymentFor(claim: Claim): Promise<PaymentRecord | null> {
  const byId = await Payment.findOne({ stripeId: claim.intentId }).lean<PaymentRecord>();
  if (byId) return byId;
  const orderId = canonicalObjectId(claim.metadata?.orderId);
  const attempt = Number(claim.metadata?.attempt);
  if (orderId === undefined || !Number.isInteger(attempt)) return null;
  return Payment.findOne({ orderId, attempt, status: PaymentStatus.Pending, stripeId: { $exists: false } }).lean<PaymentRecord>();
}

/**
 * A verified Stripe event. Accepted only for an intent payments created (stored), with the
 * stored amount, currency and mode; anything else is logged and ignored. The intent's state is
 * then read from the processor — never taken from the event — and applied forward-only, so a
 * replayed or out-of-order event changes nothing; then the order's payments are settled.
 */
export async function handleStripeEvent(event: Stripe.Event, ctx: SettleContext & { logger: Logger }): Promise<void> {
  const log = ctx.logger.child({ eventId: event.id, type: event.type });
  const claim = claimOf(event);
  if (!claim) {
    log.debug('webhook event ignored');
    return;
  }
  const payment = await storedPaymentFor(claim);
  const matches =
    payment !== null &&
    claim.amount === payment.amountCents &&
    claim.currency === payment.currency &&
    (payment.livemode === undefined || claim.livemode === payment.livemode);
  if (!payment || !matches) {
    log.warn({ paymentIntent: claim.intentId, amount: claim.amount, currency: claim.currency, livemode: claim.livemode }, 'webhook for an intent we did not create (or not as we created it); ignored');
    return;
  }

  let intent;
  try {
    intent = await ctx.gateway.retrieve(claim.intentId);
  } catch (err) {
    if (err instanceof GatewayUnavailableError) throw new ServiceUnavailableError('Payment processor unavailable; retry later');
    if (err instanceof InvalidPaymentTokenError) {
      log.warn({ paymentIntent: claim.intentId }, 'webhook names an intent the processor does not know; ignored');
      return;
    }
    throw err;
  }
  if (intent.amountCents !== payment.amountCents || intent.currency !== payment.currency || intent.metadata.orderId !== payment.orderId.toHexString()) {
    log.warn({ paymentIntent: claim.intentId }, 'intent does not match the payment stored for it; ignored');
    return;
  }

  let applied = await applyIntentState(payment, intent);
  if (event.type === 'charge.refunded' && applied.status === PaymentStatus.Captured && intent.amountRefundedCents >= applied.amountCents) {
    applied = await markRefunded(applied, claim.refundId ?? `refunded:${intent.id}`);
  }
  log.info({ paymentId: applied._id.toHexString(), status: applied.status }, 'webhook applied');
  try {
    await settlePayments(applied.orderId.toHexString(), ctx);
  } catch (err) {
    log.warn({ err }, 'settling after a webhook failed; the sweep retries');
  }
}
