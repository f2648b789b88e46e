import { BadRequestError, ConflictError, ForbiddenError, NotFoundError, OrderStatus, ServiceUnavailableError } from '@ticketing/common';
import { Types } from 'mongoose';
import { Order, Payment, PaymentStatus, type OrderReplica } from '../models';
import { orderChangeOrTimeout } from './order-replica-signal';

/**
 * How long a payment waits for the tickets service to confirm a just-placed order (status
 * `created` → `awaiting:payment`, normally tens of milliseconds) before answering 409, so a
 * buyer who pays at once needs no retry.
 */
const CONFIRMATION_WAIT_MS = 5_000;
/**
 * A waiting payment wakes when this process applies an event to the order, and re-reads the
 * replica at least this often (another replica may apply it). Polling every 50 ms cost 44 ms of
 * payments CPU (and as much of the database's) per purchase in the saga bench.
 */
const REREAD_MS = 250;

/**
 * How long a payment waits for order.created of an order this replica has not heard of yet
 * (the buyer pays right after ordering; the event is normally tens of milliseconds behind).
 * After that: 503 with Retry-After, never 404 for an order that may exist.
 */
export const UNKNOWN_ORDER_WAIT_MS = 2_500;
const UNKNOWN_ORDER_RETRY_AFTER_S = 1;
/**
 * Which unknown ids may be orders on their way: the orders service mints an order's id
 * (an ObjectId, stamped with its clock) when it places it. An id stamped more than a minute
 * in the future was never minted (clock skew aside); one stamped more than an hour ago would
 * be an order past any order window (15 minutes by default), which cannot be paid even if it
 * existed. Both answer 404 at once; every other unknown id waits, then 503.
 */
const MINTED_SKEW_MS = 60_000;
const PAYABLE_HORIZON_MS = 60 * 60_000;

/** An unknown id that may be an order the replica has not heard of yet. */
export function mayBeOrderOnItsWay(orderId: string, now = Date.now()): boolean {
  const minted = new Types.ObjectId(orderId).getTimestamp().getTime();
  return minted <= now + MINTED_SKEW_MS && minted >= now - PAYABLE_HORIZON_MS;
}

/** The order replica, waiting (bounded) for one that may be on its way: 404 never minted, 503 not heard of yet. */
async function knownOrder(orderId: string): Promise<OrderReplica> {
  const deadline = Date.now() + UNKNOWN_ORDER_WAIT_MS;
  for (;;) {
    const order = await Order.findById(orderId).lean<OrderReplica>();
    if (order) return order;
    if (!mayBeOrderOnItsWay(orderId)) throw new NotFoundError('Order not found');
    if (Date.now() >= deadline) {
      throw new ServiceUnavailableError('This order has not reached the payments service yet; try again in a moment', UNKNOWN_ORDER_RETRY_AFTER_S);
    }
    await orderChangeOrTimeout(orderId, REREAD_MS);
  }
}

/**
 * The order `userId` wants to pay for, if it can be paid: 404 never an order, 503 (after a
 * short wait) not heard of yet, 403 someone else's,
 * 400 cancelled, expired or already paid (complete, or a payment the order accepted holds or took
 * the money), 409 not yet confirmed by the tickets service (it may still refuse the order
 * because the seller changed the ticket: money is taken only for a ticket held at the price the
 * buyer saw), 409 while one of its payments is `processing` (its outcome is not known: a second
 * payment could charge the buyer twice).
 */
export async function findPayableOrder(orderId: string, userId: string, now = () => new Date()): Promise<OrderReplica> {
  const deadline = Date.now() + CONFIRMATION_WAIT_MS;
  for (;;) {
    const order = await knownOrder(orderId);
    if (order.userId !== userId) throw new ForbiddenError('This order belongs to another user');
    if (order.status === OrderStatus.Cancelled) throw new BadRequestError('Cannot pay for a cancelled order');
    if (order.status === OrderStatus.Complete || (await hasAcceptedPayment(orderId))) {
      throw new BadRequestError('Order has already been paid');
    }
    // The cancellation may still be on its way from the orders service: do not take money
    // for a reservation that has run out.
    if (order.expiresAt.getTime() <= now().getTime()) throw new BadRequestError('Order has expired');
    if (await Payment.exists({ orderId, status: PaymentStatus.Processing })) {
      throw new ConflictError('A payment for this order is processing; wait for its outcome');
    }
    if (order.status === OrderStatus.AwaitingPayment) return order;
    if (Date.now() >= deadline) {
      throw new ConflictError('The ticket is not yet confirmed for this order; try again in a moment');
    }
    await orderChangeOrTimeout(orderId, REREAD_MS);
  }
}

/** The order accepted a payment that holds or took the money. */
export async function hasAcceptedPayment(orderId: string): Promise<boolean> {
  return (await Payment.exists({ acceptedFor: orderId, status: { $in: [PaymentStatus.Authorized, PaymentStatus.Captured] } })) !== null;
}

/** The order, if it is `userId`'s: 404 never an order, 503 not heard of yet, 403 someone else's. */
export async function findOwnOrder(orderId: string, userId: string): Promise<OrderReplica> {
  const order = await knownOrder(orderId);
  if (order.userId !== userId) throw new ForbiddenError('This order belongs to another user');
  return order;
}
