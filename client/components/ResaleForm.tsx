'use client';
import { useRouter } from 'next/navigation';
import type { Ticket } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';
import { resaleCeiling } from '@/lib/ticket-status';
import { ListingForm } from './ListingForm';

/** The holder of a delivered ticket lists it again (their e-ticket code stops working). */
export function ResaleForm({ ticket }: { ticket: Ticket }) {
  const router = useRouter();
  const ceiling = resaleCeiling(ticket);
  return (
    <section className="panel" aria-labelledby="resale-heading">
      <h2 id="resale-heading">Sell it again</h2>
      <p className="hint">Listing it replaces your e-ticket code: the current one stops working at the door.</p>
      <ListingForm
        ticket={ticket}
        titleEditable={false}
        submitLabel="List for resale"
        busyLabel="Listing…"
        priceHint={ceiling !== undefined ? `At most ${formatPrice(ceiling)} (the organizer's resale cap).` : undefined}
        onSaved={() => router.refresh()}
      />
    </section>
  );
}
