import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ApiProblem } from '@/components/ApiProblem';
import { PurchaseButton } from '@/components/PurchaseButton';
import { LiveRefresh } from '@/components/live/LiveRefresh';
import { ResaleForm } from '@/components/ResaleForm';
import { WaitlistControls } from '@/components/WaitlistControls';
import { getCurrentUser, serverGet } from '@/lib/api/server';
import type { CurrentUser, Ticket, WaitlistState } from '@/lib/api/types';
import { formatPrice } from '@/lib/format';
import { signInHref } from '@/lib/safe-next';
import { ticketStatus, ticketStatusLabel } from '@/lib/ticket-status';

export const metadata: Metadata = { title: 'Ticket' };

/** What the visitor can do with the ticket: buy it, wait for it, resell it, or nothing. */
async function actionFor(ticket: Ticket, user: CurrentUser | null) {
  const status = ticketStatus(ticket);
  if (!user) {
    return (
      <p>
        <Link href={signInHref(`/tickets/${ticket.id}`)}>Sign in</Link> or <Link href={signInHref(`/tickets/${ticket.id}`, 'signup')}>sign up</Link> to
        buy this ticket.
      </p>
    );
  }
  if (status === 'sold' && ticket.holderId === user.id) {
    return (
      <>
        <p>
          This ticket is yours. Its e-ticket is under <Link href="/tickets/mine">My tickets</Link>.
        </p>
        <ResaleForm ticket={ticket} />
      </>
    );
  }
  if (user.id === ticket.userId && status !== 'sold') {
    return (
      <p>
        You are selling this ticket. Change or withdraw it under <Link href="/tickets/listings">My listings</Link>.
      </p>
    );
  }
  switch (status) {
    case 'reserved': {
      const waitlist = await serverGet<WaitlistState>(`/api/orders/waitlist/${encodeURIComponent(ticket.id)}`);
      return (
        <>
          <p>
            This ticket is reserved. If the reservation is released it goes to the waitlist, or back on sale. Your own orders are under{' '}
            <Link href="/orders">My orders</Link>.
          </p>
          {waitlist.ok ? (
            // Keyed by what the server saw: a live re-render of the page starts from the fresh state.
            <WaitlistControls key={JSON.stringify(waitlist.data)} ticketId={ticket.id} reservedBy={ticket.orderId} initial={waitlist.data} />
          ) : (
            <ApiProblem error={waitlist.error} />
          )}
        </>
      );
    }
    case 'sold':
      return <p>This ticket was sold. Its buyer may put it on sale again.</p>;
    case 'delisted':
      return <p>The seller withdrew this ticket: it is not for sale.</p>;
    case 'available':
      return <PurchaseButton ticketId={ticket.id} />;
  }
}

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
  const action = await actionFor(ticket, current.ok ? current.data : null);
  return (
    <article className="narrow">
      <LiveRefresh ticketId={ticket.id} />
      <h1>{ticket.title}</h1>
      <dl className="facts">
        <dt>Price</dt>
        <dd>{formatPrice(ticket.price)}</dd>
        <dt>Availability</dt>
        <dd>{ticketStatusLabel(ticketStatus(ticket))}</dd>
      </dl>
      {action}
    </article>
  );
}
