import { Types } from 'mongoose';
import { Order } from '../models';

/**
 * The idempotency key of a payment attempt: the order and its attempt number. Every retried
 * or concurrent request for the same attempt sends the same key, so the processor authorises
 * at most once; the attempt moves on after any final non-success, since Stripe replays a key's
 * first outcome (a decline or an error included) for 24 hours.
 */
export function paymentIdempotencyKey(orderId: string, attempt: number): string {
  return `pi:${orderId}:${attempt}`;
}

/**
 * Moves the order to its next attempt, once: conditional on `attempt` being the current one,
 * so concurrent requests that saw the same failure move it by one, and a late failure of an
 * older attempt moves nothing.
 */
export async function moveToNextAttempt(orderId: Types.ObjectId | string, attempt: number): Promise<void> {
  await Order.updateOne({ _id: orderId, paymentAttempts: attempt }, { $inc: { paymentAttempts: 1 } });
}
