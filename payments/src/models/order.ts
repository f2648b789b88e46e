import { OrderStatus } from '@ticketing/common';
import mongoose, { Schema, type Types } from 'mongoose';

/**
 * This service's replica of an order, kept from order.* events (see events/listeners).
 * `version` is the owner's version: events apply only in order (see apply-order-event).
 * `paymentAttempts` is ours: how many attempts were declined, so that each new attempt gets
 * a fresh idempotency key while a retry of the same attempt reuses its key.
 */
export interface OrderReplica {
  _id: Types.ObjectId;
  userId: string;
  status: OrderStatus;
  /** As published (dollars): kept exactly; see amountInCents. */
  price: number;
  version: number;
  expiresAt: Date;
  paymentAttempts: number;
}

const orderSchema = new Schema<OrderReplica>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    userId: { type: String, required: true },
    status: { type: String, enum: Object.values(OrderStatus), required: true },
    price: { type: Number, required: true, min: 0 },
    version: { type: Number, required: true, min: 0 },
    expiresAt: { type: Date, required: true },
    paymentAttempts: { type: Number, required: true, default: 0, min: 0 },
  },
  { versionKey: false },
);

export const Order = mongoose.model<OrderReplica>('Order', orderSchema);

/** The charge amount in cents for an order price in dollars. */
export function amountInCents(price: number): number {
  return Math.round(price * 100);
}
