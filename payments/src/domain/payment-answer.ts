import { BadRequestError, OrderStatus, PaymentRequiredError } from '@ticketing/common';
import { Order, Payment, PaymentStatus, type PaymentRecord } from '../models';
import { orderChangeOrTimeout } from './order-replica-signal';

/** What POST /api/payments answers once the payment's outcome is applied. */
export interface PaymentAnswer {
  status: 201 | 202;
  body: { id: string; status: PaymentStatus; clientSecret?: string };
}

/** Re-read at least this often while waiting (the order's decision wakes the wait in this process; another replica may settle it). */
const REREAD_MS = 250;

export const CANCELLED_NOT_CHARGED = 'The order was cancelled before the payment completed; your card was not charged';
export const CANCELLED_REFUNDED = 'The order was cancelled after the payment was taken; it has been refunded';
export const PAID_BY_ANOTHER = 'Order has already been paid; this card was not charged';
export const PAID_BY_ANOTHER_REFUNDED = 'Order has already been paid; this payment was refunded';

/**
 * The HTTP answer for the payment: an authorised one waits up to `waitMs` for the order's
 * decision (captured → 201; voided because the order was cancelled → 400, not charged; still
 * authorised → 202, the client polls the order). requires_action → 202 with the client secret
 * (the browser runs 3-D Secure); processing → 202; failed → 402 with the processor's reason.
 */
export async function answerFor(payment: PaymentRecord, { waitMs, clientSecret }: { waitMs: number; clientSecret?: string }): Promise<PaymentAnswer> {
  const id = payment._id.toHexString();
  let p = payment;
  const deadline = Date.now() + waitMs;
  while (p.status === PaymentStatus.Authorized && Date.now() < deadline) {
    await orderChangeOrTimeout(String(p.orderId), Math.min(REREAD_MS, Math.max(0, deadline - Date.now())));
    p = (await Payment.findById(p._id).lean<PaymentRecord>()) ?? p;
  }
  switch (p.status) {
    case PaymentStatus.Captured:
      return { status: 201, body: { id, status: p.status } };
    case PaymentStatus.Authorized:
    case PaymentStatus.Processing:
    case PaymentStatus.Pending:
      return { status: 202, body: { id, status: p.status } };
    case PaymentStatus.RequiresAction:
      return { status: 202, body: { id, status: p.status, ...(clientSecret ? { clientSecret } : {}) } };
    case PaymentStatus.Failed:
      throw new PaymentRequiredError(p.failure ?? 'The payment was not completed');
    case PaymentStatus.Voided:
    case PaymentStatus.Refunded: {
      const order = await Order.findById(p.orderId, { status: 1 }).lean();
      if (order?.status === OrderStatus.Cancelled) {
        throw new BadRequestError(p.status === PaymentStatus.Voided ? CANCELLED_NOT_CHARGED : CANCELLED_REFUNDED);
      }
      throw new BadRequestError(p.status === PaymentStatus.Voided ? PAID_BY_ANOTHER : PAID_BY_ANOTHER_REFUNDED);
    }
  }
}
