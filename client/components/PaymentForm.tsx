'use client';
import dynamic from 'next/dynamic';
import { useState } from 'react';
import { apiRequestAwaitingReplica, errorItemsOf } from '@/lib/api/browser';
import { ApiError, type ApiErrorItem, type Order } from '@/lib/api/types';
import { splitErrors } from '@/lib/form-errors';
import type { CardFormProps } from './cardFormProps';
import { TestCardForm } from './TestCardForm';

// Loaded only when a Stripe key is configured: offline, no Stripe code reaches the browser.
const StripeCardForm = dynamic(() => import('./StripeCardForm'), {
  ssr: false,
  loading: () => <p>Loading the secure card form…</p>,
});

interface Props {
  order: Order;
  stripeKey?: string;
  /** The API accepted the payment (201). */
  onPaid: () => void;
  /** The API refused for a reason about the order itself (e.g. it was cancelled meanwhile). */
  onOrderRefused: () => void;
}

/** Pays an order: Stripe Elements with a key, the test-mode card choice without. */
export function PaymentForm({ order, stripeKey, onPaid, onOrderRefused }: Props) {
  const [errors, setErrors] = useState<ApiErrorItem[]>([]);
  const [pending, setPending] = useState(false);
  const { byField, general } = splitErrors(errors, ['token']);

  async function pay(token: string) {
    setPending(true);
    setErrors([]);
    try {
      await apiRequestAwaitingReplica<{ id: string }>('POST', '/api/payments', { orderId: order.id, token });
      onPaid();
    } catch (err) {
      // A decline (402) leaves the order payable: the message shows and the form stays.
      setErrors(errorItemsOf(err));
      setPending(false);
      if (err instanceof ApiError && err.status === 400) onOrderRefused();
    }
  }

  const cardProps: CardFormProps = {
    price: order.ticket.price,
    pending,
    tokenError: byField.token,
    generalErrors: general,
    onToken: pay,
    onTokenError: (message) => setErrors([{ message, field: 'token' }]),
  };
  return (
    <section aria-labelledby="payment-heading" className="panel">
      <h2 id="payment-heading">Payment</h2>
      {stripeKey ? <StripeCardForm publishableKey={stripeKey} {...cardProps} /> : <TestCardForm {...cardProps} />}
    </section>
  );
}
