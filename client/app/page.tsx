import Link from 'next/link';
import { ApiProblem } from '@/components/ApiProblem';
import { TicketList } from '@/components/TicketList';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { serverGet } from '@/lib/api/server';
import type { Ticket } from '@/lib/api/types';

interface Props {
  searchParams: Promise<{ before?: string | string[] }>;
}

/** Tickets for sale, newest first; the API pages with a `before` cursor (X-Next-Cursor). */
export default async function HomePage({ searchParams }: Props) {
  const { before } = await searchParams;
  const cursor = typeof before === 'string' && before !== '' ? before : undefined;
  const result = await serverGet<Ticket[]>(cursor ? `/api/tickets?before=${encodeURIComponent(cursor)}` : '/api/tickets');

  return (
    <>
      <h1>Tickets for sale</h1>
      {/* Listed, edited, reserved, released or sold elsewhere: shown without a reload. */}
      <LiveRefresh />
      {!result.ok ? (
        <ApiProblem error={result.error} />
      ) : (
        <>
          <TicketList tickets={result.data} />
          <nav aria-label="More tickets" className="pager">
            {cursor && <Link href="/">Newest tickets</Link>}
            {result.headers.get('x-next-cursor') && (
              <Link href={`/?before=${encodeURIComponent(result.headers.get('x-next-cursor') ?? '')}`}>Older tickets</Link>
            )}
          </nav>
        </>
      )}
    </>
  );
}
