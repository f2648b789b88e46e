'use client';
// Stripe's Payment Element, used only when a publishable key is configured. It loads Stripe.js
// from js.stripe.com, so it cannot be exercised offline (tests and the local stack use the
// test-mode card choice instead); this module is imported lazily so that nothing of Stripe is
// downloaded when no key is set.
import { Elements } from '@stripe/react-stripe-js';
import { loadStripe } from '@stripe/stripe-js';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorItemsOf } from '@/lib/api/browser';
import { createPaymentIntent } from '@/lib/api/payments';
import type { PaymentIntentAnswer } from '@/lib/api/types';
import { ErrorAlert } from './ErrorAlert';
import { PaymentElementFields, type PaymentElementFieldsProps } from './PaymentElementFields';

type Props = Omit<PaymentElementFieldsProps, 'onAttemptOver'> & { publishableKey: string; orderId: string };

/**
 * Asks payments for the order's intent (POST /api/payments/intents), then shows the Payment
 * Element for it. After an attempt that did not go through, the intent is asked for again:
 * payments answers a new one when the attempt moved on (the Element is then rebuilt for it).
 */
export default function StripePaymentForm({ publishableKey, orderId, ...fields }: Props) {
  const stripePromise = useMemo(() => loadStripe(publishableKey), [publishableKey]);
  const [intent, setIntent] = useState<PaymentIntentAnswer | null>(null);
  const [loadErrors, setLoadErrors] = useState<string[]>([]);
  const [round, setRound] = useState(0);
  const { confirmWithApi, onOutcome } = fields;

  useEffect(() => {
    let current = true;
    createPaymentIntent(orderId).then(
      (answer) => current && setIntent((before) => (before?.clientSecret === answer.clientSecret ? before : answer)),
      (err: unknown) => current && setLoadErrors(errorItemsOf(err).map((e) => e.message)),
    );
    return () => {
      current = false;
    };
  }, [orderId, round]);

  // Back from a payment method that redirected (return_url): tell payments, once.
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const returned = params.get('payment_intent');
    if (!returned) return;
    window.history.replaceState(null, '', window.location.pathname);
    // void: confirmWithApi is submitPayment, which never throws (failures are outcomes).
    void confirmWithApi(returned).then(onOutcome);
  }, [confirmWithApi, onOutcome]);

  const nextAttempt = useCallback(() => setRound((n) => n + 1), []);

  if (loadErrors.length > 0) return <ErrorAlert messages={loadErrors} />;
  if (!intent) return <p>Preparing the secure payment form…</p>;
  return (
    <Elements key={intent.clientSecret} stripe={stripePromise} options={{ clientSecret: intent.clientSecret }}>
      <PaymentElementFields {...fields} onAttemptOver={nextAttempt} />
    </Elements>
  );
}
