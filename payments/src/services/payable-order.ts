import { BadRequestError, ForbiddenError, NotFoundError, OrderStatus } from '@ticketing/common';
import { Order, Payment, type OrderReplica } from '../models';

/**
 * The order `userId` wants to pay for, if it can be paid: 404 unknown, 403 someone else's,
 * 400 cancelled, expired or already paid.
 */
export async function findPayableOrder(orderId: string, userId: string, now = new Date()): Promise<OrderReplica> {
  const order = await Order.findById(orderId).lean<OrderReplica>();
  if (!order) throw new NotFoundError('Order not found');
  if (order.userId !== userId) throw new ForbiddenError('This order belongs to another user');
  if (order.status === OrderStatus.Cancelled) throw new BadRequestError('Cannot pay for a cancelled order');
  if (order.status === OrderStatus.Complete || (await Payment.exists({ orderId }))) {
    throw new BadRequestError('Order has already been paid');
  }
  // The cancellation may still be on its way from the orders service: do not take money
  // for a reservation that has run out.
  if (order.expiresAt.getTime() <= now.getTime()) throw new BadRequestError('Order has expired');
  return order;
}
