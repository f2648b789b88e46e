import { BadRequestError, ConflictError, PaymentRequiredError, ServiceUnavailableError } from '@ticketing/common';
import {
  CardDeclinedError,
  GatewayUnavailableError,
  InvalidPaymentTokenError,
  PaymentInProgressError,
  type PaymentGateway,
} from '../gateway';
import { amountInCents, Order, type OrderReplica } from '../models';

/**
 * The idempotency key of a payment attempt: derived from the order and its number of
 * declined attempts. Every retried or concurrent request for the same attempt sends the same
 * key, so the processor charges at most once; after a decline the next attempt gets a new key
 * (Stripe replays a key's first outcome, a decline included, for 24 hours).
 */
export function paymentIdempotencyKey(orderId: string, attempt: number): string {
  return `pi:${orderId}:${attempt}`;
}

/** Charges the order's amount; gateway failures become HTTP errors (402, 400, 409, 503). */
export async function chargeOrder(gateway: PaymentGateway, order: OrderReplica, token: string): Promise<{ id: string }> {
  const orderId = order._id.toHexString();
  const attempt = order.paymentAttempts;
  try {
    // Interim (branch h/pay-stripe): authorise + capture at once, i.e. today's charge, so the
    // service compiles against the issue-15 gateway; the pay-core branch replaces this flow.
    const intent = await gateway.authorize({
      orderId,
      attempt,
      amountCents: amountInCents(order.price),
      token,
      idempotencyKey: paymentIdempotencyKey(orderId, attempt),
    });
    if (intent.status !== 'requires_capture') {
      throw new CardDeclinedError(intent.lastError ?? `payment not completed (status ${intent.status})`);
    }
    await gateway.capture(intent.id, `capture:${intent.id}`);
    return { id: intent.id };
  } catch (err) {
    if (err instanceof CardDeclinedError) {
      // Conditional: concurrent requests that saw the same decline move to the next attempt once.
      await Order.updateOne({ _id: order._id, paymentAttempts: attempt }, { $inc: { paymentAttempts: 1 } });
      throw new PaymentRequiredError(err.message);
    }
    if (err instanceof InvalidPaymentTokenError) throw new BadRequestError(err.message, 'token');
    if (err instanceof PaymentInProgressError) throw new ConflictError(err.message);
    if (err instanceof GatewayUnavailableError) throw new ServiceUnavailableError(err.message);
    throw err;
  }
}
