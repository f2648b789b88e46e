'use client';
import { useRouter } from 'next/navigation';
import { apiRequestAwaitingReplica } from '@/lib/api/browser';
import type { Order } from '@/lib/api/types';
import { ActionButton } from './ActionButton';

/** Reserves the ticket with a new order, then opens the order page to pay for it. */
export function PurchaseButton({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  return (
    <ActionButton
      label="Purchase"
      busyLabel="Reserving…"
      staysBusyOnSuccess
      action={async () => {
        const order = await apiRequestAwaitingReplica<Order>('POST', '/api/orders', { ticketId });
        router.push(`/orders/${order.id}`);
      }}
    />
  );
}
