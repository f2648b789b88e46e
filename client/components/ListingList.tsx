'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { TicketListing } from '@/lib/api/types';
import { ListingCard } from './ListingCard';

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
  );
}
