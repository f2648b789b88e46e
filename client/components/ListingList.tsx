'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TicketListing } from '@/lib/api/types';
import { ListingCard } from './ListingCard';
import { LiveTicketsRefresh } from './live/LiveTicketsRefresh';

/** The visitor's listings; one of them at a time is open for editing (its fields have fixed ids). */
export function ListingList({ listings, userId }: { listings: TicketListing[]; userId: string }) {
  const router = useRouter();
  const [editing, setEditing] = useState<string | null>(null);
  if (listings.length === 0) {
    return (
      <p>
        You are not selling anything yet. <Link href="/tickets/new">Sell a ticket</Link>
      </p>
    );
  }
  return (
    <>
      {/* Reserved, released or sold by buyers meanwhile: shown without a reload. */}
      <LiveTicketsRefresh ticketIds={listings.map((l) => l.id)} />
      <ul className="cards listings">
        {listings.map((listing) => (
          <ListingCard
            key={listing.id}
            listing={listing}
            userId={userId}
            editing={editing === listing.id}
            onEdit={(open) => setEditing(open ? listing.id : null)}
            onChanged={() => router.refresh()}
          />
        ))}
      </ul>
    </>
  );
}
