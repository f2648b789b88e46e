'use client';
import { useRef } from 'react';
import { useLiveRefresh } from './useLive';

/**
 * On a page listing some tickets (my tickets, my listings): refreshes it when one of them
 * changes (reserved, sold, checked in, resold…). With `deliveries`, also when one of the
 * viewer's orders completes and, again, when the ticket it bought is delivered (that ticket's
 * change comes after the order's, and the page does not show it yet).
 */
export function LiveTicketsRefresh({ ticketIds, deliveries = false }: { ticketIds: string[]; deliveries?: boolean }) {
  const awaited = useRef(new Set<string>());
  useLiveRefresh((e) => {
    if (e.event === 'order') {
      if (!deliveries || e.data.event !== 'completed' || typeof e.data.ticketId !== 'string') return false;
      awaited.current.add(e.data.ticketId);
      return true;
    }
    return e.event === 'ticket' && typeof e.data.id === 'string' && (ticketIds.includes(e.data.id) || awaited.current.has(e.data.id));
  });
  return null;
}
