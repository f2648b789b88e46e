import mongoose, { Schema } from 'mongoose';
import type { IntentStatus } from '../payment-gateway';

/**
 * One PaymentIntent of the offline sandbox, kept in the payments service's own database
 * (collection `sandbox_intents`) so that, like Stripe, it is shared by every replica and
 * outlives a killed process.
 */
export interface SandboxIntentRecord {
  /** `pi_sandbox_…` */
  _id: string;
  /** The key it was created with; unique: the same key never creates a second intent. */
  idempotencyKey: string;
  /** The creating request's parameters: the key reused with others is refused. */
  params: string;
  status: IntentStatus;
  amountCents: number;
  amountCapturedCents: number;
  amountRefundedCents: number;
  currency: string;
  metadata: { orderId?: string; attempt?: string };
  clientSecret: string;
  lastError?: string;
  /** The decline the creating request answered with (replayed for the same key). */
  declined?: string;
  /** Refunds made, each under its idempotency key. */
  refunds: { id: string; idempotencyKey: string; amountCents: number }[];
  createdAt: Date;
}

const sandboxIntentSchema = new Schema<SandboxIntentRecord>(
  {
    _id: { type: String, required: true },
    idempotencyKey: { type: String, required: true, unique: true },
    params: { type: String, required: true },
    status: { type: String, required: true },
    amountCents: { type: Number, required: true },
    amountCapturedCents: { type: Number, required: true, default: 0 },
    amountRefundedCents: { type: Number, required: true, default: 0 },
    currency: { type: String, required: true },
    metadata: { orderId: String, attempt: String },
    clientSecret: { type: String, required: true },
    lastError: String,
    declined: String,
    refunds: { type: [{ _id: false, id: String, idempotencyKey: String, amountCents: Number }], default: [] },
  },
  { versionKey: false, timestamps: { createdAt: true, updatedAt: false }, collection: 'sandbox_intents' },
);

export const SandboxIntent = mongoose.model<SandboxIntentRecord>('SandboxIntent', sandboxIntentSchema);
