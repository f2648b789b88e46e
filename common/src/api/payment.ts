import { z } from 'zod';

export const PAYMENT_STATUSES = ['pending', 'requires_action', 'processing', 'authorized', 'captured', 'voided', 'refunded', 'failed'] as const;
export type PaymentStatusName = (typeof PAYMENT_STATUSES)[number];

/**
 * POST /api/payments answers 201 `{id, status: 'captured'}` (paid) or 202 with the other
 * statuses: the order is deciding (authorized), the processor is (processing, pending), or the
 * card needs 3-D Secure in the browser (requires_action, with the intent's clientSecret).
 */
export const paymentAnswerSchema = z.object({
  id: z.string().describe('Payment id (one per attempt)'),
  status: z.enum(PAYMENT_STATUSES),
  clientSecret: z.string().optional().describe('Only with status requires_action: for Stripe.js to run 3-D Secure'),
});
export type PaymentAnswer = z.infer<typeof paymentAnswerSchema>;

/** POST /api/payments/intents: an unconfirmed intent for Stripe's Payment Element. */
export const paymentIntentAnswerSchema = z.object({
  id: z.string().describe('Payment id'),
  clientSecret: z.string(),
  amount: z.number().int().describe('Cents'),
  currency: z.string().meta({ example: 'usd' }),
});
export type PaymentIntentAnswer = z.infer<typeof paymentIntentAnswerSchema>;

/** GET /api/payments?orderId=: one payment attempt of the order. */
export const paymentAttemptSchema = z.object({
  id: z.string(),
  status: z.enum(PAYMENT_STATUSES),
  amount: z.number().int().describe('Cents (USD)'),
  createdAt: z.iso.datetime({ offset: true }),
});
export type PaymentAttempt = z.infer<typeof paymentAttemptSchema>;

/** POST /api/payments/webhook. */
export const webhookAckSchema = z.object({ received: z.literal(true) });
