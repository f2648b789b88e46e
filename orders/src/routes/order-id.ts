import { ForbiddenError, idParams, NotFoundError, type UserPayload } from '@ticketing/common';
import { Order } from '../models/order';

/** `:id` of the order routes: canonical, or 404 for a malformed id (it names no order). */
export const orderIdParams = idParams('Order not found', 'Order id: 24 hex characters in any case (the same order however it is cased); anything else is a 404');

/** The order `id` (canonical, see orderIdParams) if it exists (404) and belongs to `user` (403). */
export async function loadOwnOrder(id: string, user: UserPayload) {
  const order = await Order.findById(id).select('-outbox');
  if (!order) throw new NotFoundError('Order not found');
  if (order.userId !== user.id) throw new ForbiddenError('This order belongs to another user');
  return order;
}
