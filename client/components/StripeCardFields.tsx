'use client';
// Inside <Elements>: tokenizes the card with Stripe.js and hands the token to the payment form.
// Needs network access to Stripe; not exercised offline (see StripeCardForm).
import { CardElement, useElements, useStripe } from '@stripe/react-stripe-js';
import { useState, type FormEvent } from 'react';
import { formatPrice } from '@/lib/format';
import type { CardFormProps } from './cardFormProps';
import { ErrorAlert } from './ErrorAlert';
import { FieldError } from './FieldError';

export function StripeCardFields({ price, pending, tokenError, generalErrors, onToken, onTokenError }: CardFormProps) {
  const stripe = useStripe();
  const elements = useElements();
  const [tokenizing, setTokenizing] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const card = elements?.getElement(CardElement);
    if (!stripe || !card) return;
    setTokenizing(true);
    const result = await stripe.createToken(card);
    setTokenizing(false);
    if (result.error) onTokenError(result.error.message ?? 'The card details are not valid.');
    else await onToken(result.token.id);
  }

  const busy = pending || tokenizing;
  return (
    <form onSubmit={onSubmit} className="form">
      <div className="field" role="group" aria-labelledby="card-label" aria-describedby={tokenError ? 'token-error' : undefined}>
        <span id="card-label" className="label">
          Card details
        </span>
        <div className="card-element">
          <CardElement options={{ hidePostalCode: true }} />
        </div>
        <FieldError id="token-error" message={tokenError} />
      </div>
      <ErrorAlert messages={generalErrors} />
      <button type="submit" className="button" disabled={busy || !stripe}>
        {busy ? 'Paying…' : `Pay ${formatPrice(price)}`}
      </button>
    </form>
  );
}
