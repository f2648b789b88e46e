import { OrderStatus } from '@ticketing/common';
import type { OrderPaymentStatus } from '../models/order';

/** What the buyer sees of the order's payment: `amount` in cents, when known. */
export interface PaymentView {
  id: string;
  status: OrderPaymentStatus;
  amount?: number;
}

type Entry = { status: OrderPaymentStatus; amount?: number | null; updatedAt: Date };
/** The order's `payments`: a Map on a loaded document, a plain object on a lean one. */
type Entries = Map<string, Entry> | Record<string, Entry> | null | undefined;

/**
 * Which payment tells the buyer most, highest first: money that moved (captured or refunded)
 * over a hold (authorized) over a released one (voided). Between captured and refunded, the one
 * that matches the order: a complete order's capture, a cancelled order's refund.
 */
const RANK: Record<'complete' | 'other', OrderPaymentStatus[]> = {
  complete: ['captured', 'refunded', 'authorized', 'voided'],
  other: ['refunded', 'captured', 'authorized', 'voided'],
};

/** The most relevant of the order's payments (latest news first among equals), or null. */
export function relevantPayment(status: string, payments: Entries): PaymentView | null {
  const entries = payments instanceof Map ? [...payments.entries()] : Object.entries(payments ?? {});
  if (entries.length === 0) return null;
  const rank = RANK[status === (OrderStatus.Complete as string) ? 'complete' : 'other'];
  const [id, best] = entries.sort(([, a], [, b]) => rank.indexOf(a.status) - rank.indexOf(b.status) || +b.updatedAt - +a.updatedAt)[0];
  return { id, status: best.status, ...(typeof best.amount === 'number' ? { amount: best.amount } : {}) };
}

/** An order as the API shows it: the model's JSON (internals hidden) plus its `payment`. */
export function orderView(order: { status: string; payments?: Entries; toJSON(): unknown }) {
  return { ...(order.toJSON() as Record<string, unknown>), payment: relevantPayment(order.status, order.payments) };
}
