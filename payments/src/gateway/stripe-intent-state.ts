import type Stripe from 'stripe';
import type { IntentState, IntentStatus, RefundResult } from './payment-gateway';

const INTENT_STATUSES: readonly string[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
] satisfies IntentStatus[];

const REFUND_STATUSES: readonly string[] = ['pending', 'succeeded', 'failed', 'canceled', 'requires_action'] satisfies RefundResult['status'][];

/** What the payments service reads from a Stripe PaymentIntent (webhook payloads included). */
export function toIntentState(intent: Stripe.PaymentIntent): IntentState {
  if (!INTENT_STATUSES.includes(intent.status)) {
    // A status newer than this code: acting on a guess could take or release money wrongly.
    throw new Error(`Stripe returned PaymentIntent ${intent.id} with an unknown status "${intent.status}"`);
  }
  const charge = intent.latest_charge;
  const state: IntentState = {
    id: intent.id,
    status: intent.status as IntentStatus,
    amountCents: intent.amount,
    amountCapturedCents: intent.amount_received,
    // Only an expanded charge says how much was refunded; an id or none means nothing known.
    amountRefundedCents: charge && typeof charge === 'object' ? charge.amount_refunded : 0,
    currency: intent.currency,
    livemode: intent.livemode,
    metadata: {},
  };
  const { orderId, attempt } = intent.metadata ?? {};
  if (orderId !== undefined) state.metadata.orderId = orderId;
  if (attempt !== undefined) state.metadata.attempt = attempt;
  if (intent.client_secret) state.clientSecret = intent.client_secret;
  if (intent.last_payment_error?.message) state.lastError = intent.last_payment_error.message;
  return state;
}

export function toRefundResult(refund: Stripe.Refund): RefundResult {
  // No status (or one newer than this code) is treated as not final yet: the reconciler looks again.
  const status = refund.status && REFUND_STATUSES.includes(refund.status) ? (refund.status as RefundResult['status']) : 'pending';
  return { id: refund.id, status, amountCents: refund.amount };
}
