// The payment calls of the order page (browser side).
import { outcomeOfAnswer, outcomeOfError, type PaymentOutcome } from '../payment-outcome';
import { apiRequestAwaitingReplica } from './browser';
import type { PaymentAnswer, PaymentIntentAnswer } from './types';

/** With a test-mode token (offline), or with an intent the browser confirmed (Payment Element). */
export type PaymentRequest = { orderId: string; token: string } | { orderId: string; paymentIntentId: string };

/**
 * POST /api/payments and what came of it; never throws. A 404 is retried for a few seconds (the
 * payments service learns of a new order by event).
 */
export async function submitPayment(request: PaymentRequest): Promise<PaymentOutcome> {
  try {
    return outcomeOfAnswer(await apiRequestAwaitingReplica<Partial<PaymentAnswer> | null>('POST', '/api/payments', request));
  } catch (err) {
    return outcomeOfError(err);
  }
}

/** The order's current intent for Stripe's Payment Element (the same one until an attempt fails). */
export function createPaymentIntent(orderId: string): Promise<PaymentIntentAnswer> {
  return apiRequestAwaitingReplica<PaymentIntentAnswer>('POST', '/api/payments/intents', { orderId });
}
