'use client';
import { apiRequest } from '@/lib/api/browser';
import { ActionButton } from './ActionButton';

/** DELETE /api/orders/:id: the buyer gives the ticket back before paying. */
export function CancelOrderButton({ orderId, onCancelled }: { orderId: string; onCancelled: () => void }) {
  return (
    <ActionButton
      label="Cancel order"
      busyLabel="Cancelling…"
      secondary
      action={async () => {
        await apiRequest<null>('DELETE', `/api/orders/${encodeURIComponent(orderId)}`);
        onCancelled();
      }}
      // 400: it was paid meanwhile; the refreshed order shows it.
      onFailure={onCancelled}
    />
  );
}
