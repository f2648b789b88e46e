import { outboxEntry, Subjects } from '@ticketing/common';
import { Types, type HydratedDocument } from 'mongoose';
import { Payment, type PaymentRecord } from '../models';
import { isDuplicateKeyError } from './duplicate-key';

export interface RecordedPayment {
  payment: HydratedDocument<PaymentRecord>;
  /** False when another request (or the webhook) had already recorded the order's payment. */
  created: boolean;
}

/**
 * Records the payment of an order and its payment.created event in one insert (the outbox
 * relay publishes the event). Idempotent: the unique index on orderId lets exactly one
 * insert win; every other caller gets the payment that won.
 */
export async function recordPayment({ stripeId, ...input }: { orderId: string; stripeId: string }): Promise<RecordedPayment> {
  const orderId = new Types.ObjectId(input.orderId).toHexString(); // canonical (lower-case) form in the event
  const id = new Types.ObjectId();
  try {
    const payment = await Payment.create({
      _id: id,
      orderId,
      stripeId,
      outbox: [outboxEntry(Subjects.PaymentCreated, { id: id.toHexString(), orderId, stripeId, version: 0 })],
    });
    return { payment, created: true };
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const existing = await Payment.findOne({ orderId });
    if (!existing) throw err;
    return { payment: existing, created: false };
  }
}
