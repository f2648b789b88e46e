import { isDuplicateKeyError, outboxEntry, pushOutbox, Subjects, type OutboxEntry } from '@ticketing/common';
import type { UpdateQuery } from 'mongoose';
import type { IntentState } from '../gateway';
import { Order, Payment, PaymentStatus, type PaymentRecord } from '../models';
import { moveToNextAttempt } from './attempts';

/**
 * Every change of a payment's status: one conditional write `{_id, status: <from>}` carrying its
 * outbox event, so a status only moves forward and a replayed or out-of-order signal (webhook,
 * event, a second replica) changes nothing. Each function returns the payment as it is after
 * the call, whether this call moved it or something else had.
 */

const { Pending, RequiresAction, Processing, Authorized, Captured, Voided, Refunded, Failed } = PaymentStatus;

/**
 * What every payment event carries: the payment, its order and intent, and the buyer (from the
 * order replica, so that the live service can tell the buyer; absent if the replica is gone).
 */
async function eventIds(p: PaymentRecord, stripeId = p.stripeId) {
  const order = await Order.findById(p.orderId, { userId: 1 }).lean();
  return {
    id: p._id.toHexString(),
    orderId: p.orderId.toHexString(),
    stripeId: stripeId ?? `unknown:${p._id.toHexString()}`,
    ...(order?.userId && { userId: order.userId }),
  };
}

async function current(p: PaymentRecord): Promise<PaymentRecord> {
  return (await Payment.findById(p._id).lean<PaymentRecord>()) ?? p;
}

/** Moves `p` from one of `from` to `to`; null when it was not in one of `from` (any more). */
async function move(
  p: PaymentRecord,
  from: readonly PaymentStatus[],
  to: PaymentStatus,
  set: Partial<PaymentRecord> = {},
  events: OutboxEntry[] = [],
  filter: Record<string, unknown> = {},
): Promise<PaymentRecord | null> {
  const update: UpdateQuery<PaymentRecord> = { $set: { status: to, statusAt: new Date(), ...set } };
  if (events.length) Object.assign(update, pushOutbox(...events));
  return Payment.findOneAndUpdate({ _id: p._id, status: { $in: from }, ...filter }, update, { returnDocument: 'after' }).lean<PaymentRecord>();
}

/** The intent's id and mode, recorded with the first status change that learns them. */
const intentFields = (intent: IntentState) => ({ stripeId: intent.id, livemode: intent.livemode });

export async function markAuthorized(p: PaymentRecord, intent: IntentState): Promise<PaymentRecord> {
  return (await move(p, [Pending, RequiresAction, Processing], Authorized, intentFields(intent))) ?? current(p);
}

export async function markRequiresAction(p: PaymentRecord, intent: IntentState): Promise<PaymentRecord> {
  return (await move(p, [Pending], RequiresAction, intentFields(intent))) ?? current(p);
}

export async function markProcessing(p: PaymentRecord, intent: IntentState): Promise<PaymentRecord> {
  return (await move(p, [Pending, RequiresAction], Processing, intentFields(intent))) ?? current(p);
}

/** Money taken: payment.captured. */
export async function markCaptured(p: PaymentRecord, intent: IntentState): Promise<PaymentRecord> {
  const amount = intent.amountCapturedCents || p.amountCents;
  const event = outboxEntry(Subjects.PaymentCaptured, { ...(await eventIds(p, intent.id)), version: 1, amount });
  return (await move(p, [Pending, RequiresAction, Processing, Authorized], Captured, intentFields(intent), [event])) ?? current(p);
}

/**
 * No money held and none will be: declined, invalid card, authentication or processing failed.
 * The order moves to its next attempt so the buyer can try again.
 */
export async function markFailed(p: PaymentRecord, failure: string, intent?: IntentState): Promise<PaymentRecord> {
  const moved = await move(p, [Pending, RequiresAction, Processing], Failed, { failure, ...(intent ? intentFields(intent) : {}) });
  if (moved) await moveToNextAttempt(p.orderId, p.attempt);
  return moved ?? current(p);
}

/**
 * The hold is released (the intent is canceled): payment.voided when the order had accepted
 * this payment (orders knows it), no event otherwise. Acceptance and voiding may race, so the
 * write is conditional on which of the two the payment is.
 */
export async function markVoided(p: PaymentRecord, intent?: IntentState): Promise<PaymentRecord> {
  const from: readonly PaymentStatus[] = [RequiresAction, Processing, Authorized];
  const set = intent ? intentFields(intent) : {};
  // Twice at most: a miss means the payment was accepted in between (then the accepted variant
  // matches) or moved elsewhere.
  for (let round = 0; ; round++) {
    const accepted = await Payment.findOne({ _id: p._id }, { acceptedFor: 1, stripeId: 1 }).lean<PaymentRecord>();
    const moved = accepted?.acceptedFor
      ? await move(p, from, Voided, set, [outboxEntry(Subjects.PaymentVoided, { ...(await eventIds(p, intent?.id ?? accepted.stripeId)), version: 1 })], {
          acceptedFor: { $exists: true },
        })
      : await move(p, from, Voided, set, [], { acceptedFor: { $exists: false } });
    if (moved) {
      await moveToNextAttempt(p.orderId, p.attempt);
      return moved;
    }
    const now = await current(p);
    if (!from.includes(now.status) || round >= 2) return now; // moved elsewhere meanwhile
  }
}

/** Captured money given back: payment.refunded. */
export async function markRefunded(p: PaymentRecord, refundId: string): Promise<PaymentRecord> {
  const event = outboxEntry(Subjects.PaymentRefunded, { ...(await eventIds(p)), version: 2, amount: p.amountCents, refundId });
  return (await move(p, [Captured], Refunded, { refundId }, [event])) ?? current(p);
}

/**
 * The one payment the order accepts: sets acceptedFor (unique per order, so of concurrent
 * candidates exactly one wins) with payment.created. True when this payment is (now) the accepted one.
 */
export async function markAccepted(p: PaymentRecord): Promise<boolean> {
  const event = outboxEntry(Subjects.PaymentCreated, { ...(await eventIds(p)), version: 0, amount: p.amountCents });
  try {
    const moved = await Payment.findOneAndUpdate(
      { _id: p._id, status: Authorized, acceptedFor: { $exists: false } },
      { $set: { acceptedFor: p.orderId }, ...pushOutbox(event) },
      { returnDocument: 'after' },
    ).lean();
    return moved !== null || (await current(p)).acceptedFor !== undefined;
  } catch (err) {
    if (isDuplicateKeyError(err)) return false; // another payment of the order won
    throw err;
  }
}

/**
 * Applies what the processor says about the payment's intent. A status the payment has passed
 * already, or one that is not a step forward from where it is, changes nothing.
 */
export async function applyIntentState(p: PaymentRecord, intent: IntentState): Promise<PaymentRecord> {
  switch (intent.status) {
    case 'requires_capture':
      return markAuthorized(p, intent);
    case 'succeeded':
      return markCaptured(p, intent);
    case 'requires_action':
      return markRequiresAction(p, intent);
    case 'processing':
      return markProcessing(p, intent);
    case 'canceled':
      if (p.status === Pending) return markFailed(p, 'The payment was canceled before it was confirmed', intent);
      return markVoided(p, intent);
    case 'requires_payment_method':
      // A Payment Element intent waits in this status for the browser to confirm it (and may
      // be confirmed again after a decline); for a card sent to us it is a decline.
      if (p.status === Pending && p.token === undefined) return p;
      return markFailed(p, intent.lastError ?? 'The payment was not completed', intent);
    case 'requires_confirmation':
      return p;
  }
}
