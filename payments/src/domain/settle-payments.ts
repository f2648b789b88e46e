import { OrderStatus, TransientError, UNPAID_ORDER_STATUSES, type Logger } from '@ticketing/common';
import {
  CardDeclinedError,
  GatewayUnavailableError,
  IntentStateError,
  InvalidPaymentTokenError,
  PaymentInProgressError,
  type PaymentGateway,
} from '../gateway';
import { Order, Payment, PaymentStatus, type OrderReplica, type PaymentRecord } from '../models';
import { applyIntentState, markAccepted, markFailed, markRefunded } from './payment-transitions';

export interface SettleContext {
  gateway: PaymentGateway;
  logger: Logger;
  /** How long a payment may stay pending / requires_action / processing before it is re-issued or re-read. */
  recheckAfterMs: number;
}

const { Pending, RequiresAction, Processing, Authorized, Captured } = PaymentStatus;

/**
 * A pending attempt whose re-issue keeps failing with a processor outage for this long is
 * given up (failed): by then the processor has no intent for its key, or the hold it made has
 * lapsed by itself; never charged either way.
 */
const GIVE_UP_PENDING_AFTER_MS = 60 * 60_000;

/**
 * The one reconciler: drives every payment of the order toward its right final state, from the
 * order replica and the processor's view. Idempotent and safe to run concurrently on any
 * number of replicas (conditional writes; processor idempotency keys `capture:<pi>`,
 * `cancel:<pi>`, `refund:<pi>`):
 * - an authorised payment, when the order is unpaid and has accepted none, becomes the accepted one (payment.created);
 * - the accepted authorised payment of a complete order is captured (payment.captured);
 * - an authorised or unfinished payment of a cancelled order, or beside another accepted one, is voided;
 * - a captured payment that is not the accepted one, or whose order was cancelled, is refunded (payment.refunded);
 * - a pending / requires_action / processing payment older than recheckAfterMs is re-issued
 *   (same key and card: the processor replays its outcome) or re-read, and the answer applied.
 * Throws TransientError when the processor could not be reached for a capture, a void or a
 * refund (a listener then retries; the sweep comes back anyway).
 */
export async function settlePayments(orderId: string, ctx: SettleContext): Promise<void> {
  const order = await Order.findById(orderId).lean<OrderReplica>();
  if (!order) return;
  const outages: unknown[] = [];
  const attempt = async (what: string, p: PaymentRecord, step: () => Promise<unknown>) => {
    try {
      await step();
    } catch (err) {
      if (!(err instanceof GatewayUnavailableError)) throw err;
      ctx.logger.warn({ orderId, paymentId: p._id.toHexString(), step: what }, 'payment processor unavailable; will retry');
      outages.push(err);
    }
  };

  const load = () => Payment.find({ orderId }).sort({ createdAt: 1, _id: 1 }).lean<PaymentRecord[]>();
  let payments = await load();
  if (payments.length === 0) return;

  let refreshed = false;
  for (const p of payments) {
    if (!isStale(p, ctx.recheckAfterMs)) continue;
    refreshed = true;
    await refreshFromProcessor(p, ctx).catch((err: unknown) => {
      // The sweep comes back to it; an outage here must not hold an order event up.
      ctx.logger.warn({ err, orderId, paymentId: p._id.toHexString() }, 'could not re-check a payment with the processor');
    });
  }
  if (refreshed) payments = await load();

  let accepted = payments.find((p) => p.acceptedFor !== undefined);
  if (!accepted && UNPAID_ORDER_STATUSES.includes(order.status)) {
    for (const candidate of payments.filter((p) => p.status === Authorized)) {
      if (await markAccepted(candidate)) {
        ctx.logger.info({ orderId, paymentId: candidate._id.toHexString() }, 'payment accepted for the order');
        break;
      }
    }
    payments = await load();
    accepted = payments.find((p) => p.acceptedFor !== undefined);
  }

  for (const p of payments) {
    const step = nextStep(p, order, accepted);
    if (step === 'capture') await attempt(step, p, () => capture(p, ctx));
    else if (step === 'void') await attempt(step, p, () => voidIntent(p, ctx));
    else if (step === 'refund') await attempt(step, p, () => refund(p, ctx));
  }
  if (outages.length > 0) {
    throw new TransientError(`payment processor unavailable while settling order ${orderId}`, { cause: outages[0] });
  }
}

/** What the payment needs now, given its order and the order's accepted payment. */
function nextStep(p: PaymentRecord, order: OrderReplica, accepted: PaymentRecord | undefined): 'capture' | 'void' | 'refund' | 'none' {
  const isAccepted = accepted !== undefined && accepted._id.equals(p._id);
  const cancelled = order.status === OrderStatus.Cancelled;
  const ended = cancelled || order.status === OrderStatus.Complete;
  // Anything but the accepted payment of a live or complete order must not keep money.
  const unwanted = cancelled || (accepted !== undefined && !isAccepted) || (ended && !isAccepted);
  switch (p.status) {
    case Authorized:
      if (isAccepted && order.status === OrderStatus.Complete) return 'capture';
      return unwanted ? 'void' : 'none';
    case RequiresAction:
    case Processing:
      return unwanted ? 'void' : 'none';
    case Pending:
      // A Payment Element intent the browser has not confirmed: cancel it so it never will be.
      return unwanted && p.stripeId !== undefined ? 'void' : 'none';
    case Captured:
      return !isAccepted || cancelled ? 'refund' : 'none';
    default:
      return 'none';
  }
}

function isStale(p: PaymentRecord, recheckAfterMs: number): boolean {
  if (!([Pending, RequiresAction, Processing] as PaymentStatus[]).includes(p.status)) return false;
  return Date.now() - new Date(p.statusAt).getTime() >= recheckAfterMs;
}

/**
 * Asks the processor where an unfinished payment stands: a pending card payment (the request
 * died or timed out mid-call) is re-issued with the same key and card, so the processor
 * replays what it did; anything with an intent is re-read.
 */
async function refreshFromProcessor(p: PaymentRecord, ctx: SettleContext): Promise<void> {
  if (p.status === Pending && p.token !== undefined) {
    try {
      const intent = await ctx.gateway.authorize({
        orderId: p.orderId.toHexString(),
        attempt: p.attempt,
        amountCents: p.amountCents,
        token: p.token,
        idempotencyKey: p.idempotencyKey,
      });
      await applyIntentState(p, intent);
    } catch (err) {
      if (err instanceof CardDeclinedError || err instanceof InvalidPaymentTokenError) await markFailed(p, err.message);
      else if (err instanceof PaymentInProgressError) return; // a request with the key is still running
      else if (err instanceof GatewayUnavailableError && Date.now() - p.createdAt.getTime() > GIVE_UP_PENDING_AFTER_MS) {
        await markFailed(p, 'The payment processor could not be reached');
      } else throw err;
    }
    return;
  }
  if (p.stripeId !== undefined) await applyIntentState(p, await ctx.gateway.retrieve(p.stripeId));
  // A Payment Element attempt whose intent was never created (the request died first).
  else if (p.status === Pending) await markFailed(p, 'The payment intent was never created');
}

async function capture(p: PaymentRecord, ctx: SettleContext): Promise<void> {
  const stripeId = p.stripeId!;
  try {
    const captured = await applyIntentState(p, await ctx.gateway.capture(stripeId, `capture:${stripeId}`));
    ctx.logger.info({ orderId: p.orderId.toHexString(), paymentId: p._id.toHexString(), status: captured.status }, 'payment captured');
  } catch (err) {
    if (!(err instanceof IntentStateError)) throw err;
    // E.g. the hold lapsed or was canceled elsewhere: record what the processor has.
    ctx.logger.error({ orderId: p.orderId.toHexString(), paymentId: p._id.toHexString(), intentStatus: err.intentStatus }, 'could not capture the accepted payment');
    await applyIntentState(p, await ctx.gateway.retrieve(stripeId));
  }
}

async function voidIntent(p: PaymentRecord, ctx: SettleContext): Promise<void> {
  const stripeId = p.stripeId!;
  try {
    await applyIntentState(p, await ctx.gateway.cancel(stripeId, `cancel:${stripeId}`));
    ctx.logger.info({ orderId: p.orderId.toHexString(), paymentId: p._id.toHexString() }, 'payment hold released');
  } catch (err) {
    if (!(err instanceof IntentStateError)) throw err;
    // Captured after all (then the refund step takes it), or processing and not cancelable yet.
    await applyIntentState(p, await ctx.gateway.retrieve(stripeId));
  }
}

async function refund(p: PaymentRecord, ctx: SettleContext): Promise<void> {
  const stripeId = p.stripeId!;
  let result;
  try {
    result = await ctx.gateway.refund(stripeId, p.amountCents, `refund:${stripeId}`);
  } catch (err) {
    if (!(err instanceof IntentStateError)) throw err;
    // Already given back another way (e.g. from the Stripe dashboard): record it.
    const intent = await ctx.gateway.retrieve(stripeId);
    if (intent.amountRefundedCents >= p.amountCents) await markRefunded(p, `refunded:${stripeId}`);
    else ctx.logger.error({ orderId: p.orderId.toHexString(), paymentId: p._id.toHexString(), intentStatus: err.intentStatus }, 'could not refund a captured payment');
    return;
  }
  if (result.status === 'failed' || result.status === 'canceled') {
    ctx.logger.error({ orderId: p.orderId.toHexString(), paymentId: p._id.toHexString(), refundId: result.id, status: result.status }, 'refund failed');
    return;
  }
  await markRefunded(p, result.id);
  ctx.logger.info({ orderId: p.orderId.toHexString(), paymentId: p._id.toHexString(), refundId: result.id }, 'captured payment refunded');
}
