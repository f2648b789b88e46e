'use client';
import { useState } from 'react';
import { apiRequest, errorItemsOf } from '@/lib/api/browser';
import { ErrorAlert } from './ErrorAlert';

/** DELETE /api/orders/:id: the buyer gives the ticket back before paying. */
export function CancelOrderButton({ orderId, onCancelled }: { orderId: string; onCancelled: () => void }) {
  const [errors, setErrors] = useState<string[]>([]);
  const [pending, setPending] = useState(false);

  async function cancel() {
    setPending(true);
    setErrors([]);
    try {
      await apiRequest<null>('DELETE', `/api/orders/${encodeURIComponent(orderId)}`);
      onCancelled();
    } catch (err) {
      // 400: it was paid meanwhile; the refreshed order shows it.
      setErrors(errorItemsOf(err).map((e) => e.message));
      onCancelled();
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="actions">
      <ErrorAlert messages={errors} />
      <button type="button" className="button button-secondary" onClick={cancel} disabled={pending}>
        {pending ? 'Cancelling…' : 'Cancel order'}
      </button>
    </div>
  );
}
