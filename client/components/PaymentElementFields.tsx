'use client';
// Inside <Elements>: the Payment Element and its confirmation. Needs Stripe.js (network access
// to Stripe); not exercised offline (see StripePaymentForm).
import { PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import type { FormEvent } from 'react';
import { formatPrice } from '@/lib/format';
import { intentIdOf, type PaymentOutcome } from '@/lib/payment-outcome';
import { ErrorAlert } from './ErrorAlert';

export interface PaymentElementFieldsProps {
  price: number;
  pending: boolean;
  generalErrors: string[];
  /** A confirmation starts. */
  onStart: () => void;
  /** Tells payments the browser confirmed this intent (POST /api/payments {orderId, paymentIntentId}). */
  confirmWithApi: (paymentIntentId: string) => Promise<PaymentOutcome>;
  onOutcome: (outcome: PaymentOutcome) => void;
  /** The attempt did not go through: the next one may need a new intent. */
  onAttemptOver: () => void;
}

const failed = (message: string | undefined): PaymentOutcome => ({ kind: 'failed', errors: [{ message: message ?? 'The payment did not go through. Please try again.' }] });

export function PaymentElementFields({ price, pending, generalErrors, onStart, confirmWithApi, onOutcome, onAttemptOver }: PaymentElementFieldsProps) {
  const stripe = useStripe();
  const elements = useElements();

  /** Confirms in the browser (3-D Secure included), then lets payments read the outcome. */
  async function confirm(): Promise<PaymentOutcome> {
    if (!stripe || !elements) return failed('The payment form is not ready yet.');
    const confirmed = await stripe.confirmPayment({ elements, redirect: 'if_required', confirmParams: { return_url: window.location.href } });
    if (confirmed.error) {
      const { type, message } = confirmed.error;
      return type === 'card_error' ? { kind: 'declined', errors: [{ message: message ?? 'Your card was declined.' }] } : failed(message);
    }
    const outcome = await confirmWithApi(confirmed.paymentIntent.id);
    if (outcome.kind !== 'needs-action') return outcome;
    // Payments found the intent still waiting for the buyer (3-D Secure): finish it here.
    const next = await stripe.handleNextAction({ clientSecret: outcome.clientSecret });
    if (next.error) return failed(next.error.message);
    const settled = await confirmWithApi(intentIdOf(outcome.clientSecret));
    // Still waiting: the webhook settles it; the order page watches the order meanwhile.
    return settled.kind === 'needs-action' ? { kind: 'authorising' } : settled;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onStart();
    const outcome = await confirm().catch((err: unknown) => failed((err as Error).message));
    if (outcome.kind !== 'paid' && outcome.kind !== 'authorising') onAttemptOver();
    onOutcome(outcome);
  }

  return (
    // void: onSubmit turns confirm()'s failure into a 'failed' outcome; nothing is left to reject.
    <form onSubmit={(event) => void onSubmit(event)} className="form">
      <PaymentElement />
      <ErrorAlert messages={generalErrors} />
      <button type="submit" className="button" disabled={pending || !stripe || !elements}>
        {pending ? 'Paying…' : `Pay ${formatPrice(price)}`}
      </button>
    </form>
  );
}
