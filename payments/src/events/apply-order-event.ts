import { RetryLaterError } from '@ticketing/common';
import type { OrderReplica } from '../models';
import { Order } from '../models';
import { isDuplicateKeyError } from '../domain/duplicate-key';
import { signalOrderChanged } from '../domain/order-replica-signal';

type OrderFields = Partial<Pick<OrderReplica, 'userId' | 'status' | 'price' | 'expiresAt'>>;

/**
 * The replica rule for an order event at `version`: apply it when it is the next version
 * (one conditional write); ack it unchanged when the replica already has it (duplicate);
 * otherwise — replica unknown or behind — retry later, so the missing versions come first.
 */
export async function applyOrderVersion(id: string, version: number, fields: OrderFields): Promise<'applied' | 'duplicate'> {
  const updated = await Order.findOneAndUpdate(
    { _id: id, version: version - 1 },
    { $set: { ...fields, version } },
    { new: true, projection: { _id: 1 } },
  ).lean();
  if (updated) {
    signalOrderChanged(id);
    return 'applied';
  }
  const current = await Order.findById(id, { version: 1 }).lean();
  if (current && current.version >= version) return 'duplicate';
  throw new RetryLaterError(
    current
      ? `order ${id} is at version ${current.version}; event version ${version} must wait`
      : `order ${id} is not known yet; event version ${version} must wait`,
  );
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
  try {
    await Order.create({ _id: id, version, ...fields });
    signalOrderChanged(id);
    return 'inserted';
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    return applyOrderVersion(id, version, fields);
  }
}
