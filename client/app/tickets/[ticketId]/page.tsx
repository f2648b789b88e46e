import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { PurchaseButton } from '@/components/PurchaseButton';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { getCurrentUser, serverGet } from '@/lib/api/server';
import type { Ticket } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';

export const metadata: Metadata = { title: 'Ticket' };

export default async function TicketPage({ params }: { params: Promise<{ ticketId: string }> }) {
  const { ticketId } = await params;
  const [result, current] = await Promise.all([serverGet<Ticket>(`/api/tickets/${encodeURIComponent(ticketId)}`), getCurrentUser()]);
  if (!result.ok && (result.error.status === 404 || result.error.status === 400)) notFound();
  if (!result.ok) {
    return (
      <>
        <h1>Ticket</h1>
        <ApiProblem error={result.error} />
      </>
    );
  }

  const ticket = result.data;
  const user = current.ok ? current.data : null;
  let action;
  if (!user) {
    action = (
      <p>
        <Link href="/auth/signin">Sign in</Link> or <Link href="/auth/signup">sign up</Link> to buy this ticket.
      </p>
    );
  } else if (user.id === ticket.userId) {
    action = <p>You are selling this ticket.</p>;
  } else if (ticket.orderId) {
    action = (
      <p>
        This ticket is reserved. If the reservation expires it goes back on sale. Your own orders are under{' '}
        <Link href="/orders">My orders</Link>.
      </p>
    );
  } else {
    action = <PurchaseButton ticketId={ticket.id} />;
  }

  return (
    <article className="narrow">
      <LiveRefresh ticketId={ticket.id} />
      <h1>{ticket.title}</h1>
      <dl className="facts">
        <dt>Price</dt>
        <dd>{formatPrice(ticket.price)}</dd>
        <dt>Availability</dt>
        <dd>{ticket.orderId ? 'Reserved' : 'For sale'}</dd>
      </dl>
      {action}
    </article>
  );
}
