'use client';
import Link from 'next/link';
import { useState } from 'react';
import { apiRequest } from '@/lib/api/browser';
import type { WaitlistJoined, WaitlistState } from '@/lib/api/types';
import { ActionButton } from './ActionButton';

const path = (ticketId: string) => `/api/orders/waitlist/${encodeURIComponent(ticketId)}`;

function people(n: number): string {
  return n === 1 ? '1 buyer is' : `${n} buyers are`;
}

/**
 * On a ticket someone else is holding: join its waitlist, see your place, leave. When the hold
 * is released the first in line gets the ticket reserved for them (an order in "My orders").
 */
export function WaitlistControls({ ticketId, reservedBy, initial }: { ticketId: string; reservedBy?: string | null; initial: WaitlistState }) {
  const [state, setState] = useState(initial);
  const reload = async () => setState(await apiRequest<WaitlistState>('GET', path(ticketId)));

  // An offer counts while its order is the one holding the ticket (a lapsed one is history).
  if (state.status === 'offered' && state.orderId && state.orderId === reservedBy) {
    return (
      <p className="waitlist">
        It is your turn: the ticket is reserved for you. <Link href={`/orders/${state.orderId}`}>Pay for it now</Link>.
      </p>
    );
  }
  if (state.status === 'waiting' && state.position) {
    return (
      <div className="waitlist">
        <p>
          You are on the waitlist: <strong>number {state.position}</strong> of {state.length} in line. If the reservation is released, the
          first in line gets the ticket reserved for them.
        </p>
        <ActionButton
          label="Leave the waitlist"
          busyLabel="Leaving…"
          secondary
          action={async () => {
            await apiRequest<null>('DELETE', path(ticketId));
            await reload();
          }}
          onFailure={() => void reload().catch(() => undefined)}
        />
      </div>
    );
  }
  return (
    <div className="waitlist">
      {(state.status === 'cleared' || state.status === 'skipped') && state.reason && <p className="hint">Your last place in line ended: {state.reason}.</p>}
      <p>
        {state.length > 0 ? `${people(state.length)} waiting for it. ` : ''}Join the waitlist: if the reservation is released, the first in
        line gets the ticket reserved for them.
      </p>
      <ActionButton
        label="Join the waitlist"
        busyLabel="Joining…"
        action={async () => {
          const joined = await apiRequest<WaitlistJoined>('POST', '/api/orders/waitlist', { ticketId });
          setState({ ticketId, status: 'waiting', position: joined.position, length: joined.length });
        }}
        onFailure={() => void reload().catch(() => undefined)}
      />
    </div>
  );
}
