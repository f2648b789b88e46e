import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { ETicket } from '@/components/ETicket';
import { LiveTicketsRefresh } from '@/components/live/LiveTicketsRefresh';
import { getCurrentUser, serverGet } from '@/lib/api/server';
import type { Ticket, TicketCode } from '@/lib/api/types';
import { signInHref } from '@/lib/safe-next';

export const metadata: Metadata = { title: 'My tickets' };

/** Tickets delivered to the visitor, each with its e-ticket code. */
export default async function MyTicketsPage() {
  const [result, current] = await Promise.all([serverGet<Ticket[]>('/api/tickets/mine'), getCurrentUser()]);
  if ((!result.ok && result.error.status === 401) || (current.ok && !current.data)) redirect(signInHref('/tickets/mine'));
  if (!result.ok) {
    return (
      <>
        <h1>My tickets</h1>
        <ApiProblem error={result.error} />
      </>
    );
  }
  const tickets = result.data;
  const codes = await Promise.all(tickets.map((t) => serverGet<TicketCode>(`/api/tickets/${encodeURIComponent(t.id)}/code`)));
  return (
    <>
      <h1>My tickets</h1>
      {/* Checked in at the door, or a ticket just bought arriving: shown without a reload. */}
      <LiveTicketsRefresh ticketIds={tickets.map((t) => t.id)} deliveries />
      {tickets.length === 0 ? (
        <p>
          Tickets you buy appear here once paid, with the code to show at the door. <Link href="/">Browse tickets</Link>
        </p>
      ) : (
        <ul className="cards etickets">
          {tickets.map((ticket, i) => (
            <ETicket key={ticket.id} ticket={ticket} code={codes[i]} />
          ))}
        </ul>
      )}
    </>
  );
}
