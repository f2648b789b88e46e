import { isDuplicateKeyError } from '@ticketing/common';
import { Types } from 'mongoose';
import { CURRENCY } from '../gateway';
import { amountInCents, Payment, PaymentStatus, type OrderReplica, type PaymentRecord } from '../models';
import { paymentIdempotencyKey } from './attempts';

/**
 * The payment of the order's current attempt, written `pending` BEFORE the processor is called
 * (write-ahead: a process that dies mid-call leaves a record the reconciler re-issues). Its key
 * is unique, so concurrent requests for one attempt share one payment; the existing one is
 * returned to all but the first.
 */
export async function startAttempt(order: OrderReplica, token: string | undefined): Promise<PaymentRecord> {
  const orderId = order._id.toHexString();
  const idempotencyKey = paymentIdempotencyKey(orderId, order.paymentAttempts);
  try {
    const created = await Payment.create({
      _id: new Types.ObjectId(),
      orderId,
      attempt: order.paymentAttempts,
      idempotencyKey,
      amountCents: amountInCents(order.price),
      currency: CURRENCY,
      ...(token !== undefined ? { token } : {}),
      status: PaymentStatus.Pending,
      statusAt: new Date(),
    });
    return created.toObject();
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await Payment.findOne({ idempotencyKey }).lean<PaymentRecord>();
    if (!existing) throw err;
    return existing;
  }
}
