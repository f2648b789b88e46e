'use client';
// Real card entry through Stripe Elements, used only when a publishable key is configured.
// It loads Stripe.js from js.stripe.com, so it cannot be exercised offline (tests and the local
// stack use the test-mode card choice instead); this module is imported lazily so that nothing
// of Stripe is downloaded when no key is set.
import { Elements } from '@stripe/react-stripe-js';
import { loadStripe } from '@stripe/stripe-js';
import { useMemo } from 'react';
import type { CardFormProps } from './cardFormProps';
import { StripeCardFields } from './StripeCardFields';

export default function StripeCardForm({ publishableKey, ...props }: CardFormProps & { publishableKey: string }) {
  const stripePromise = useMemo(() => loadStripe(publishableKey), [publishableKey]);
  return (
    <Elements stripe={stripePromise}>
      <StripeCardFields {...props} />
    </Elements>
  );
}
