'use client';
import { useLiveRefresh } from './useLive';

/**
 * Placed on a server-rendered page: refreshes it when what it shows changes. `ticketId`: that
 * ticket's changes and the viewer's own orders and waitlist place on it; without it, any
 * ticket change (a list of tickets).
 */
export function LiveRefresh({ ticketId }: { ticketId?: string }) {
  useLiveRefresh((e) => (ticketId ? e.data.id === ticketId || e.data.ticketId === ticketId : e.event === 'ticket'));
  return null;
}
