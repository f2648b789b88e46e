import { outboxPlugin, toJSONPlugin, type OutboxEntry } from '@ticketing/common';
import mongoose, { Schema, type Types } from 'mongoose';

/**
 * Where a payment attempt stands. Only ever moves forward (see domain/payment-transitions):
 * pending → requires_action | processing | authorized | failed;
 * requires_action | processing → authorized | failed | voided; authorized → captured | voided;
 * captured → refunded. failed, voided and refunded are final.
 */
export const PaymentStatus = {
  /** Written before the processor is called (write-ahead): the outcome is not known yet. */
  Pending: 'pending',
  /** 3-D Secure needed: the browser has the client secret. */
  RequiresAction: 'requires_action',
  /** The processor has not decided yet; the webhook or the sweep will say. */
  Processing: 'processing',
  /** The money is held (`requires_capture`), not taken. */
  Authorized: 'authorized',
  /** The money is taken (the order completed with this payment). */
  Captured: 'captured',
  /** The hold was released: the buyer was not charged. */
  Voided: 'voided',
  /** Captured money was given back. */
  Refunded: 'refunded',
  /** Declined, invalid card, or never confirmed: no money held. */
  Failed: 'failed',
} as const;
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

/** Statuses the reconciler still has to drive somewhere. */
export const UNSETTLED_PAYMENT_STATUSES: readonly PaymentStatus[] = [
  PaymentStatus.Pending,
  PaymentStatus.RequiresAction,
  PaymentStatus.Processing,
  PaymentStatus.Authorized,
];

/** One attempt to pay an order: one PaymentIntent, under one idempotency key. */
export interface PaymentRecord {
  _id: Types.ObjectId;
  orderId: Types.ObjectId;
  /** The order's attempt number this payment was made under. */
  attempt: number;
  /** `pi:<orderId>:<attempt>`: unique, so one attempt is one payment whatever the concurrency. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  /** The card token / PaymentMethod sent (absent for a Payment Element intent), so a pending attempt can be re-issued. */
  token?: string;
  /** The PaymentIntent, once known. */
  stripeId?: string;
  livemode?: boolean;
  status: PaymentStatus;
  /** When status last changed: the sweep re-checks payments that stay unfinished. */
  statusAt: Date;
  /** = orderId on the one payment the order accepted (unique: one per order). */
  acceptedFor?: Types.ObjectId;
  failure?: string;
  refundId?: string;
  outbox: OutboxEntry[];
  createdAt: Date;
  updatedAt: Date;
}

const paymentSchema = new Schema<PaymentRecord>(
  {
    orderId: { type: Schema.Types.ObjectId, required: true },
    attempt: { type: Number, required: true, min: 0 },
    idempotencyKey: { type: String, required: true, unique: true },
    amountCents: { type: Number, required: true },
    currency: { type: String, required: true },
    token: String,
    stripeId: { type: String, unique: true, sparse: true },
    livemode: Boolean,
    status: { type: String, enum: Object.values(PaymentStatus), required: true, default: PaymentStatus.Pending },
    statusAt: { type: Date, required: true, default: () => new Date() },
    acceptedFor: { type: Schema.Types.ObjectId, unique: true, sparse: true },
    failure: String,
    refundId: String,
  },
  { versionKey: false, timestamps: true },
);
// An order's payments (the reconciler, GET /api/payments?orderId=).
paymentSchema.index({ orderId: 1, createdAt: 1 });
// The sweep: unfinished payments not changed for a while.
paymentSchema.index({ status: 1, statusAt: 1 });
paymentSchema.plugin(outboxPlugin);
toJSONPlugin(paymentSchema, { hidden: ['token', 'idempotencyKey', 'outbox', 'updatedAt'] });

export const Payment = mongoose.model<PaymentRecord>('Payment', paymentSchema);
