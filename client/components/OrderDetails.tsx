'use client';
import Link from 'next/link';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { apiRequest } from '@/lib/api/browser';
import type { Order } from '@/lib/api/types';
import { formatPrice, orderStateLabel, remainingMs } from '@/lib/format';
import { Countdown } from './Countdown';
import { PaymentForm } from './PaymentForm';

/** The order completes by event after the payment is accepted: ask again for up to ~15 s. */
const CONFIRM_POLL_MS = 1000;
const CONFIRM_POLL_ATTEMPTS = 15;

/** One sentence on why a finished-but-unpaid order ended, from the reason the API gives. */
function endedBecause(order: Order, label: string): string {
  if (order.status === 'cancelled' && order.cancelReason === 'ticket-changed') {
    return 'The seller changed this ticket’s price or title before your order could hold it, so the order was cancelled; you can order it again at its new price. ';
  }
  if (order.status === 'cancelled' && order.cancelReason === 'buyer') return 'You cancelled this order and the ticket is back on sale. ';
  if (label === 'Order expired') return 'The reservation window has passed and the ticket is back on sale. ';
  return '';
}

interface Props {
  initialOrder: Order;
  /** The server's clock at render time: the first render matches the server's HTML exactly. */
  serverNow: number;
  stripeKey?: string;
}

/** An order: its countdown and payment form while payable, then Paid / Order expired / Cancelled. */
export function OrderDetails({ initialOrder, serverNow, stripeKey }: Props) {
  const [order, setOrder] = useState(initialOrder);
  const [now, setNow] = useState(serverNow);
  const [paymentAccepted, setPaymentAccepted] = useState(false);
  const [confirmSlow, setConfirmSlow] = useState(false);

  const payable = order.status === 'created' || order.status === 'awaiting:payment';
  const msLeft = remainingMs(order, now);
  const ticking = payable && !paymentAccepted && msLeft > 0;

  useEffect(() => {
    setNow(Date.now());
    if (!ticking) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [ticking]);

  const refetch = useCallback(async () => {
    const latest = await apiRequest<Order>('GET', `/api/orders/${encodeURIComponent(order.id)}`);
    setOrder(latest);
    return latest;
  }, [order.id]);

  useEffect(() => {
    if (!paymentAccepted) return;
    let stopped = false;
    void (async () => {
      for (let attempt = 0; attempt < CONFIRM_POLL_ATTEMPTS && !stopped; attempt++) {
        try {
          const latest = await refetch();
          if (latest.status === 'complete' || latest.status === 'cancelled') return;
        } catch {
          // Transient: keep asking until the attempts run out.
        }
        await new Promise((resolve) => setTimeout(resolve, CONFIRM_POLL_MS));
      }
      if (!stopped) setConfirmSlow(true);
    })();
    return () => {
      stopped = true;
    };
  }, [paymentAccepted, refetch]);

  const label = orderStateLabel(order, now);
  let state: ReactNode = null;
  if (order.status === 'complete') {
    state = (
      <>
        <p className="banner banner-success">Paid</p>
        <p>Thank you! The ticket is yours.</p>
      </>
    );
  } else if (paymentAccepted && order.status !== 'cancelled') {
    state = (
      <p className="banner">
        {confirmSlow
          ? 'Payment received. Confirming the order is taking longer than usual; refresh this page in a moment.'
          : 'Payment received — confirming your order…'}
      </p>
    );
  } else if (label !== 'Awaiting payment') {
    state = (
      <>
        <p className="banner banner-muted">{label}</p>
        <p>
          {endedBecause(order, label)}
          <Link href="/">Browse tickets</Link>
        </p>
      </>
    );
  }

  return (
    <article className="order">
      <h1>Order for {order.ticket.title}</h1>
      <dl className="facts">
        <dt>Ticket</dt>
        <dd>
          <Link href={`/tickets/${order.ticket.id}`}>{order.ticket.title}</Link>
        </dd>
        <dt>Price</dt>
        <dd>{formatPrice(order.ticket.price)}</dd>
      </dl>
      {/* Always present, so the change to Paid / Order expired is announced. */}
      <div aria-live="polite" className="order-state">
        {state}
      </div>
      {ticking && (
        <>
          <Countdown msLeft={msLeft} />
          <PaymentForm
            order={order}
            stripeKey={stripeKey}
            onPaid={() => setPaymentAccepted(true)}
            onOrderRefused={() => void refetch().catch(() => undefined)}
          />
        </>
      )}
    </article>
  );
}
