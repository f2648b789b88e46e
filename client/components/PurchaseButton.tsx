'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { apiRequestAwaitingReplica, errorItemsOf } from '@/lib/api/browser';
import type { Order } from '@/lib/api/types';
import { ErrorAlert } from './ErrorAlert';

/** Reserves the ticket with a new order, then opens the order page to pay for it. */
export function PurchaseButton({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  const [errors, setErrors] = useState<string[]>([]);
  const [pending, setPending] = useState(false);

  async function purchase() {
    setPending(true);
    setErrors([]);
    try {
      const order = await apiRequestAwaitingReplica<Order>('POST', '/api/orders', { ticketId });
      router.push(`/orders/${order.id}`);
    } catch (err) {
      setErrors(errorItemsOf(err).map((e) => e.message));
      setPending(false);
    }
  }

  return (
    <div className="actions">
      <ErrorAlert messages={errors} />
      <button type="button" className="button" onClick={purchase} disabled={pending}>
        {pending ? 'Reserving…' : 'Purchase'}
      </button>
    </div>
  );
}
