'use client';
import Link from 'next/link';
import { apiRequest } from '@/lib/api/browser';
import type { Ticket, TicketListing } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';
import { ticketStatus, ticketStatusLabel } from '@/lib/ticket-status';
import { ActionButton } from './ActionButton';
import { ListingForm } from './ListingForm';
import { SalesHistory } from './SalesHistory';

interface Props {
  listing: TicketListing;
  userId: string;
  editing: boolean;
  onEdit: (editing: boolean) => void;
  /** After a change the API accepted (or refused because the ticket changed meanwhile). */
  onChanged: () => void;
}

/** What the seller can do with a listing in each status. */
function statusNote(listing: TicketListing, sellingNow: boolean): string {
  switch (ticketStatus(listing)) {
    case 'available':
      return 'On sale now.';
    case 'reserved':
      return 'A buyer is paying for it; it cannot be changed meanwhile.';
    case 'sold':
      return sellingNow ? 'Sold.' : 'Sold; the buyer holds it now.';
    case 'delisted':
      return 'Withdrawn: not for sale. You can list it again.';
  }
}

/** One of the visitor's listings: status, edit / withdraw / relist, and the sales of it. */
export function ListingCard({ listing, userId, editing, onEdit, onChanged }: Props) {
  const status = ticketStatus(listing);
  const sellingNow = listing.userId === userId;
  const reselling = sellingNow && !!listing.organizerId && listing.organizerId !== userId;
  const saved = (_: Ticket) => {
    onEdit(false);
    onChanged();
  };

  return (
    <li className="card listing">
      <h2 className="card-title">
        <Link href={`/tickets/${listing.id}`}>{listing.title}</Link>
      </h2>
      <p className="price">{formatPrice(listing.price)}</p>
      <p>
        Status: <span className={`status status-${status}`}>{ticketStatusLabel(status)}</span>
        {reselling && <span className="badge">Resale</span>}
      </p>
      <p className="hint">{statusNote(listing, sellingNow)}</p>
      {sellingNow && status === 'available' && !editing && (
        <div className="button-row">
          <button type="button" className="button button-secondary" onClick={() => onEdit(true)}>
            Edit
          </button>
          <ActionButton
            label="Withdraw"
            busyLabel="Withdrawing…"
            secondary
            action={async () => {
              await apiRequest<Ticket>('DELETE', `/api/tickets/${encodeURIComponent(listing.id)}`);
              onChanged();
            }}
            onFailure={onChanged}
          />
        </div>
      )}
      {sellingNow && status === 'available' && editing && (
        <>
          <ListingForm ticket={listing} titleEditable={!reselling} submitLabel="Save changes" busyLabel="Saving…" onSaved={saved} />
          <button type="button" className="button button-secondary" onClick={() => onEdit(false)}>
            Cancel editing
          </button>
        </>
      )}
      {sellingNow && status === 'delisted' && (
        <ListingForm ticket={listing} titleEditable submitLabel="List again" busyLabel="Listing…" onSaved={saved} />
      )}
      <SalesHistory sales={listing.sales} title={listing.title} />
    </li>
  );
}
