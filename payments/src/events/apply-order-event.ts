import { applyNextVersion, insertOrIgnore } from '@ticketing/common';
import type { OrderReplica } from '../models';
import { Order } from '../models';
import { signalOrderChanged } from '../domain/order-replica-signal';

type OrderFields = Partial<Pick<OrderReplica, 'userId' | 'status' | 'price' | 'expiresAt'>>;

/**
 * The replica rule for an order event at `version` (applyNextVersion): apply it when it is the
 * next version; ack it unchanged when the replica already has it or a later one (duplicate);
 * otherwise — replica unknown or behind — retry later, so the missing versions come first.
 */
export async function applyOrderVersion(id: string, version: number, fields: OrderFields): Promise<'applied' | 'duplicate'> {
  if ((await applyNextVersion(Order, 'order', { id, version, fields })) !== 'applied') return 'duplicate';
  signalOrderChanged(id);
  return 'applied';
}

/**
 * The first sight of an order (order.created): insert it at the event's version. When it
 * already exists (a redelivery, or a later event got here first after all), the version
 * rule decides.
 */
export async function insertOrApplyOrder(
  id: string,
  version: number,
  fields: Required<OrderFields>,
): Promise<'inserted' | 'applied' | 'duplicate'> {
  if (!(await insertOrIgnore(Order, { _id: id, version, ...fields }))) return applyOrderVersion(id, version, fields);
  signalOrderChanged(id);
  return 'inserted';
}
