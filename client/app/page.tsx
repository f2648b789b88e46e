import Link from 'next/link';
import { ApiProblem } from '@/components/ApiProblem';
import { SearchForm } from '@/components/SearchForm';
import { TicketList } from '@/components/TicketList';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { serverGet } from '@/lib/api/server';
import type { Ticket } from '@/lib/api/types';
import { apiPathOf, isFiltered, pageHrefOf, searchFromParams } from '@/lib/ticket-search';

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * Tickets for sale, searchable by title and price and sorted, paged with the API's cursor
 * (X-Next-Cursor); the whole search lives in the query string.
 */
export default async function HomePage({ searchParams }: Props) {
  const search = searchFromParams(await searchParams);
  const result = await serverGet<Ticket[]>(apiPathOf(search));
  const next = result.ok ? result.headers.get('x-next-cursor') : null;

  return (
    <>
      <h1>Tickets for sale</h1>
      <SearchForm search={search} />
      {/* Listed, edited, reserved, released or sold elsewhere: shown without a reload. */}
      <LiveRefresh />
      {!result.ok ? (
        <ApiProblem error={result.error} />
      ) : (
        <>
          {isFiltered(search) && result.data.length === 0 && !search.cursor ? (
            <p>No tickets for sale match this search.</p>
          ) : (
            <TicketList tickets={result.data} />
          )}
          <nav aria-label="More tickets" className="pager">
            {search.cursor && <Link href={pageHrefOf(search)}>First page</Link>}
            {next && <Link href={pageHrefOf(search, next)}>Next page</Link>}
          </nav>
        </>
      )}
    </>
  );
}
