'use client';
import Link from 'next/link';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { apiRequest } from '@/lib/api/browser';
import type { Order } from '@/lib/api/types';
import { formatCents, formatPrice, orderStateLabel, remainingMs } from '@/lib/format';
import { CancelOrderButton } from './CancelOrderButton';
import { useLive } from './live/useLive';
import { Countdown } from './Countdown';
import { PaymentForm } from './PaymentForm';

/** How often, and how long (~1 min), the page asks again while the order settles by event. */
const SETTLE_POLL_MS = 1000;
const SETTLE_POLL_ATTEMPTS = 60;

/** What this page's own payment request answered: charged, or held while the order decides. */
type Phase = 'none' | 'paid' | 'authorising';

const isOpen = (order: Order) => order.status === 'created' || order.status === 'awaiting:payment';

/**
 * The order is still changing by itself (by events between the services): a payment is held
 * while the order decides, or a charge that raced a cancellation is being refunded.
 */
function settling(order: Order, phase: Phase): boolean {
  if (isOpen(order)) return phase !== 'none' || order.payment?.status === 'authorized';
  return order.status === 'cancelled' && order.payment?.status === 'captured';
}

/** One sentence on why a finished-but-unpaid order ended, from the reason the API gives. */
function endedBecause(order: Order, label: string): string {
  if (order.status === 'cancelled' && order.cancelReason === 'ticket-changed') {
    return 'The seller changed this ticket’s price or title before your order could hold it, so the order was cancelled; you can order it again at its new price. ';
  }
  if (order.status === 'cancelled' && order.cancelReason === 'buyer') return 'You cancelled this order and the ticket is back on sale. ';
  if (label === 'Order expired' || order.cancelReason === 'expired') return 'The reservation window has passed and the ticket is back on sale. ';
  return '';
}

const browse = <Link href="/">Browse tickets</Link>;

/** The banner and sentence for a cancelled order: whether (and how) the buyer's money came back. */
function cancelledState(order: Order, label: string): { banner: string; tone: string; text: ReactNode } {
  const payment = order.payment;
  if (payment?.status === 'refunded') {
    const amount = payment.amount ? `${formatCents(payment.amount)} ` : '';
    return { banner: 'Refunded', tone: 'banner-muted', text: <>{endedBecause(order, label)}Your payment {amount}was refunded to your card. {browse}</> };
  }
  if (payment?.status === 'captured') {
    return {
      banner: 'Cancelled — refund under way',
      tone: 'banner-muted',
      text: <>Your card was charged as the order ended; the money is being refunded to your card automatically.</>,
    };
  }
  const released = payment?.status === 'authorized' ? 'The hold on your card is being released. ' : '';
  return { banner: `${label} — your card was not charged`, tone: 'banner-muted', text: <>{endedBecause(order, label)}{released}{browse}</> };
}

interface Props {
  initialOrder: Order;
  /** The server's clock at render time: the first render matches the server's HTML exactly. */
  serverNow: number;
  stripeKey?: string;
}

/**
 * An order: its countdown, payment form and Cancel button while payable; "Authorising payment…"
 * while a payment is held and the order decides; then Paid, Refunded, or Cancelled / Order
 * expired with what happened to the buyer's card.
 */
export function OrderDetails({ initialOrder, serverNow, stripeKey }: Props) {
  const [order, setOrder] = useState(initialOrder);
  const [now, setNow] = useState(serverNow);
  const [phase, setPhase] = useState<Phase>('none');
  const [slow, setSlow] = useState(false);

  const msLeft = remainingMs(order, now);
  const ticking = isOpen(order) && phase === 'none' && order.payment?.status !== 'authorized' && msLeft > 0;
  const watch = settling(order, phase);

  // The browser's clock replaces the server's right after hydration (and whenever the countdown
  // starts or stops), then ticks every 250 ms while it runs: timer callbacks, not render.
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const first = setTimeout(tick, 0);
    const timer = ticking ? setInterval(tick, 250) : undefined;
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [ticking]);

  const refetch = useCallback(async () => {
    const latest = await apiRequest<Order>('GET', `/api/orders/${encodeURIComponent(order.id)}`);
    setOrder(latest);
    return latest;
  }, [order.id]);

  // Paid, cancelled, expired, refunded elsewhere (another tab, the expiry, the backstop): shown at once.
  useLive(
    (e) => e.event === 'order' && e.data.id === order.id,
    () => void refetch().catch(() => undefined),
  );

  // While the order settles by event, ask again until it has (or a minute has passed).
  useEffect(() => {
    if (!watch) return;
    let stopped = false;
    // void: every refetch failure is caught inside; nothing else can reject.
    void (async () => {
      for (let attempt = 0; attempt < SETTLE_POLL_ATTEMPTS && !stopped; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
        if (stopped) return;
        try {
          if (!settling(await refetch(), phase)) return;
        } catch {
          // Transient: keep asking until the attempts run out.
        }
      }
      if (!stopped) setSlow(true);
    })();
    return () => {
      stopped = true;
    };
  }, [watch, phase, refetch]);

  const label = orderStateLabel(order, now);
  let state: ReactNode = null;
  if (order.status === 'complete' || (phase === 'paid' && isOpen(order))) {
    state = (
      <>
        <p className="banner banner-success">Paid</p>
        <p>{order.status === 'complete' ? 'Thank you! The ticket is yours.' : slow ? 'Your card was charged. Confirming the order is taking longer than usual; refresh this page in a moment.' : 'Your card was charged — confirming your order…'}</p>
      </>
    );
  } else if (order.status === 'cancelled') {
    const { banner, tone, text } = cancelledState(order, label);
    state = (
      <>
        <p className={`banner ${tone}`}>{banner}</p>
        <p>{text}</p>
      </>
    );
  } else if (phase === 'authorising' || order.payment?.status === 'authorized') {
    state = (
      <>
        <p className="banner">Authorising payment…</p>
        <p>
          {slow
            ? 'This is taking longer than usual; refresh this page in a moment. Your card is charged only if the order completes.'
            : 'The amount is held on your card and charged only when your order is confirmed.'}
        </p>
      </>
    );
  } else if (label !== 'Awaiting payment') {
    state = (
      <>
        <p className="banner banner-muted">{label}</p>
        <p>
          {endedBecause(order, label)}
          {browse}
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
            onSettled={(outcome) => {
              setSlow(false);
              setPhase(outcome);
            }}
            onOrderRefused={() => void refetch().catch(() => undefined)}
          />
          <CancelOrderButton orderId={order.id} onCancelled={() => void refetch().catch(() => undefined)} />
        </>
      )}
    </article>
  );
}
