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
  metadata: Record<string, string>;
  refundId?: string;
}

const INTENT_ID = /^pi_[A-Za-z0-9_]{1,250}$/;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringMap = (v: unknown): Record<string, string> =>
  isRecord(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

/**
 * What the event claims, read defensively: the signature only proves the event came from
 * someone holding the secret (in development a public one), so every field is checked for
 * its type before it is used in a query.
 */
function claimOf(event: Stripe.Event): Claim | undefined {
  const object: unknown = (event as { data?: { object?: unknown } }).data?.object;
  if (!isRecord(object) || typeof event.livemode !== 'boolean') return undefined;
  const isIntentEvent = event.type !== 'charge.refunded' && (HANDLED_EVENT_TYPES as readonly string[]).includes(event.type);
  if (event.type !== 'charge.refunded' && !isIntentEvent) return undefined;
  const intentRef = event.type === 'charge.refunded' ? object.payment_intent : object.id;
  const intentId = isRecord(intentRef) ? intentRef.id : intentRef;
  if (typeof intentId !== 'string' || !INTENT_ID.test(intentId)) return undefined;
  if (typeof object.amount !== 'number' || typeof object.currency !== 'string') return undefined;
  if (object.livemode !== undefined && object.livemode !== event.livemode) return undefined;
  const refunds = isRecord(object.refunds) && Array.isArray(object.refunds.data) ? object.refunds.data : [];
  const refundId = isRecord(refunds[0]) && typeof refunds[0].id === 'string' ? refunds[0].id : undefined;
  return {
    intentId,
    amount: object.amount,
    currency: object.currency,
    livemode: event.livemode,
    metadata: stringMap(object.metadata),
    ...(event.type === 'charge.refunded' && refundId ? { refundId } : {}),
  };
}

/**
 * The payment an event is about: by intent id, or — when the process died before it recorded
 * the id — the pending payment of the order and attempt named in the intent's metadata.
 */
async function storedPaymentFor(claim: Claim): Promise<PaymentRecord | null> {
  const byId = await Payment.findOne({ stripeId: claim.intentId }).lean<PaymentRecord>();
  if (byId) return byId;
  const orderId = canonicalObjectId(claim.metadata.orderId);
  if (orderId === undefined || !/^\d{1,9}$/.test(claim.metadata.attempt ?? '')) return null;
  const attempt = Number(claim.metadata.attempt);
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
