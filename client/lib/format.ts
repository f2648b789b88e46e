import type { Order } from './api/types';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatPrice(price: number): string {
  return usd.format(price);
}

/** Milliseconds until the order's reservation ends (negative once it has). */
export function remainingMs(order: Pick<Order, 'expiresAt'>, now: number): number {
  return Date.parse(order.expiresAt) - now;
}

/** `m:ss` of a remaining duration, rounded up so 0:00 appears only when time is up. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** Cents → the price format (payments count in cents, tickets in dollars). */
export function formatCents(cents: number): string {
  return usd.format(cents / 100);
}

type OrderState = Pick<Order, 'status' | 'expiresAt' | 'cancelReason'> & { payment?: Order['payment'] };

/**
 * What a buyer should read about an order. A cancelled order is reported as expired when the
 * API says so (or, for orders without a reason, when its window has passed); otherwise as
 * cancelled — or as Refunded once its payment was given back. An open order whose payment is
 * held on the card is being authorised.
 */
export function orderStateLabel(order: OrderState, now: number): string {
  switch (order.status) {
    case 'complete':
      return 'Paid';
    case 'cancelled':
      if (order.payment?.status === 'refunded') return 'Refunded';
      if (order.cancelReason) return order.cancelReason === 'expired' ? 'Order expired' : 'Cancelled';
      return remainingMs(order, now) <= 0 ? 'Order expired' : 'Cancelled';
    case 'created':
    case 'awaiting:payment':
      if (order.payment?.status === 'authorized') return 'Authorising payment…';
      return remainingMs(order, now) <= 0 ? 'Order expired' : 'Awaiting payment';
  }
}
