'use client';
import { useState, type FormEvent } from 'react';
import { formatPrice } from '@/lib/format';
import { ErrorAlert } from './ErrorAlert';
import { FieldError } from './FieldError';
import type { CardFormProps } from './cardFormProps';

/** Stripe's documented test tokens: the payments service's offline sandbox honours them too. */
const TEST_CARDS = [
  { token: 'tok_visa', label: 'Visa — succeeds' },
  { token: 'tok_chargeDeclined', label: 'Declined card' },
  // Needs 3-D Secure, which only Stripe.js can run: offline, the buyer is told to pick another card.
  { token: 'tok_threeDSecure2Required', label: '3-D Secure card' },
] as const;

/** The offline payment form (no Stripe key configured): pick a test card outcome, then pay. */
export function TestCardForm({ price, pending, tokenError, generalErrors, onToken }: CardFormProps) {
  const [token, setToken] = useState<string>(TEST_CARDS[0].token);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // void: the order page pays with submitPayment, which never throws (failures are outcomes).
    void onToken(token);
  }

  return (
    <form onSubmit={onSubmit} className="form" aria-describedby="test-mode-note">
      <fieldset aria-describedby={tokenError ? 'token-error' : undefined} aria-invalid={tokenError ? true : undefined}>
        <legend>
          Card <span className="badge">Test mode</span>
        </legend>
        <p id="test-mode-note" className="hint">
          Test mode: no real card is charged. Choose how the payment should turn out.
        </p>
        {TEST_CARDS.map((card) => (
          <label key={card.token} className="radio">
            <input type="radio" name="token" value={card.token} checked={token === card.token} onChange={() => setToken(card.token)} />{' '}
            {card.label}
          </label>
        ))}
        <FieldError id="token-error" message={tokenError} />
      </fieldset>
      <ErrorAlert messages={generalErrors} />
      <button type="submit" className="button" disabled={pending}>
        {pending ? 'Paying…' : `Pay ${formatPrice(price)}`}
      </button>
    </form>
  );
}
