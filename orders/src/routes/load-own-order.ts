import { ForbiddenError, isObjectId, NotFoundError, type UserPayload } from '@ticketing/common';
import { Order } from '../models/order';

/** The order `id` if it exists (404 otherwise, malformed ids included) and belongs to `user` (403). */
export async function loadOwnOrder(id: unknown, user: UserPayload) {
  if (!isObjectId(id)) throw new NotFoundError('Order not found');
  const order = await Order.findById(id).select('-outbox');
  if (!order) throw new NotFoundError('Order not found');
  if (order.userId !== user.id) throw new ForbiddenError('This order belongs to another user');
  return order;
}
