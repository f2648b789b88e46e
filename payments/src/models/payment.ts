import { outboxPlugin, toJSONPlugin, type OutboxEntry } from '@ticketing/common';
import mongoose, { Schema, type Types } from 'mongoose';

/** A successful charge for an order. At most one per order: `orderId` is unique. */
export interface PaymentRecord {
  _id: Types.ObjectId;
  orderId: Types.ObjectId;
  /** The processor's charge id (a Stripe PaymentIntent id, or pi_sandbox_… offline). */
  stripeId: string;
  outbox: OutboxEntry[];
  createdAt: Date;
}

const paymentSchema = new Schema<PaymentRecord>(
  {
    orderId: { type: Schema.Types.ObjectId, required: true, unique: true },
    stripeId: { type: String, required: true },
  },
  // Immutable once written (the relay's outbox pops are not changes to the payment).
  { versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);
paymentSchema.plugin(outboxPlugin);
toJSONPlugin(paymentSchema);

export const Payment = mongoose.model<PaymentRecord>('Payment', paymentSchema);
