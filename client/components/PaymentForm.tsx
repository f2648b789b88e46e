'use client';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { submitPayment, type PaymentRequest } from '@/lib/api/payments';
import type { ApiErrorItem, Order } from '@/lib/api/types';
import { splitErrors } from '@/lib/form-errors';
import type { PaymentOutcome } from '@/lib/payment-outcome';
import { TestCardForm } from './TestCardForm';

// Loaded only when a Stripe key is configured: offline, no Stripe code reaches the browser.
const StripePaymentForm = dynamic(() => import('./StripePaymentForm'), {
  ssr: false,
  loading: () => <p>Loading the secure payment form…</p>,
});

/** The offline test mode cannot run 3-D Secure (only Stripe.js can). */
const OFFLINE_3DS_MESSAGE =
  'This card needs 3-D Secure authentication, which the offline test mode cannot do. Your card was not charged: please choose another card.';

interface Props {
  order: Order;
  stripeKey?: string;
  /** The payment went through (paid), or is held while the order decides (authorising). */
  onSettled: (outcome: 'paid' | 'authorising') => void;
  /** The API refused for a reason about the order itself (e.g. it was cancelled meanwhile). */
  onOrderRefused: () => void;
}

/**
 * Pays an order: Stripe's Payment Element with a key (3-D Secure and wallets handled by
 * Stripe.js), the test-mode card choice without. A decline keeps the form, with the processor's
 * message; every other outcome is handed to the order page.
 */
export function PaymentForm({ order, stripeKey, onSettled, onOrderRefused }: Props) {
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [declined, setDeclined] = useState(false);
  const [pending, setPending] = useState(false);
  const { byField, general } = splitErrors(errors, ['token']);

  function show(outcome: PaymentOutcome) {
    setPending(false);
    setDeclined(outcome.kind === 'declined');
    switch (outcome.kind) {
      case 'paid':
      case 'authorising':
        setErrors([]);
        return onSettled(outcome.kind);
      case 'needs-action':
        // Only the offline form gets here: the Payment Element runs 3-D Secure itself.
        return setErrors([{ message: OFFLINE_3DS_MESSAGE, field: 'token' }]);
      case 'order-refused':
        setErrors(outcome.errors);
        return onOrderRefused();
      case 'declined':
      case 'failed':
        return setErrors(outcome.errors);
    }
  }

  async function pay(request: PaymentRequest): Promise<PaymentOutcome> {
    setPending(true);
    setErrors([]);
    return submitPayment(request);
  }

  return (
    <section aria-labelledby="payment-heading" className="panel">
      <h2 id="payment-heading">Payment</h2>
      {declined && <p className="banner banner-error">Declined</p>}
      {stripeKey ? (
        <StripePaymentForm
          publishableKey={stripeKey}
          orderId={order.id}
          price={order.ticket.price}
          pending={pending}
          generalErrors={errors.map((e) => e.message)}
          onStart={() => {
            setPending(true);
            setErrors([]);
          }}
          confirmWithApi={(paymentIntentId) => submitPayment({ orderId: order.id, paymentIntentId })}
          onOutcome={show}
        />
      ) : (
        <TestCardForm
          price={order.ticket.price}
          pending={pending}
          tokenError={byField.token}
          generalErrors={general}
          onToken={async (token) => show(await pay({ orderId: order.id, token }))}
        />
      )}
    </section>
  );
}
