import Link from 'next/link';
import type { Ticket } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';

/** Tickets for sale as a list of cards (one column on a phone, a grid on wider screens). */
export function TicketList({ tickets }: { tickets: Ticket[] }) {
  if (tickets.length === 0) return <p>No tickets are for sale right now. Check back soon.</p>;
  return (
    <ul className="cards">
      {tickets.map((ticket) => (
        <li key={ticket.id} className="card">
          <h2 className="card-title">{ticket.title}</h2>
          <p className="price">{formatPrice(ticket.price)}</p>
          <Link href={`/tickets/${ticket.id}`} aria-label={`View ${ticket.title}`}>
            View ticket
          </Link>
        </li>
      ))}
    </ul>
  );
}
