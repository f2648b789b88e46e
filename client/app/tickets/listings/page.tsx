import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { ListingList } from '@/components/ListingList';
import { getCurrentUser, serverGet } from '@/lib/api/server';
import type { TicketListing } from '@/lib/api/types';
import { signInHref } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'My listings' };

/** Tickets the visitor sells or sold: for sale, reserved, sold, withdrawn, with their sales. */
export default async function MyListingsPage() {
  const [result, current] = await Promise.all([serverGet<TicketListing[]>('/api/tickets/listings'), getCurrentUser()]);
  if ((!result.ok && result.error.status === 401) || (current.ok && !current.data)) redirect(signInHref('/tickets/listings'));
  return (
    <>
      <h1>My listings</h1>
      {!result.ok ? (
        <ApiProblem error={result.error} />
      ) : !current.ok ? (
        <ApiProblem error={current.error} />
      ) : (
        <ListingList listings={result.data} userId={current.data!.id} />
      )}
    </>
  );
}
