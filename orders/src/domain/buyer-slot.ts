import { BadRequestError, UNPAID_ORDER_STATUSES } from '@ticketing/common';
import { buyerSlotKey, Order } from '../models/order';

export const tooManyOrders = (cap: number) =>
  new BadRequestError(`You already have ${cap} unpaid orders, the most allowed at once: pay for or cancel one first`);

/**
 * A free slot among the buyer's `cap` slots (`<userId>:<0 … cap-1>`), or 400 when they are
 * all taken. Slots are a unique key on the order, cleared when it is cancelled or completed,
 * so the cap is exact however many of the buyer's requests race: two that read the same free
 * slot collide on insert and the loser reads again. Orders placed before slots existed (or
 * while the cap was off) have none; the count below still counts them, approximately (a
 * burst can then exceed the cap by at most the number of such orders).
 */
export async function freeBuyerSlot(userId: string, cap: number): Promise<string | undefined> {
  if (cap <= 0) return undefined;
  const active = await Order.find({ userId, status: { $in: UNPAID_ORDER_STATUSES } }, { buyerSlot: 1 }).lean();
  if (active.length >= cap) throw tooManyOrders(cap);
  const taken = new Set(active.map((o) => o.buyerSlot));
  for (let slot = 0; slot < cap; slot++) if (!taken.has(buyerSlotKey(userId, slot))) return buyerSlotKey(userId, slot);
  throw tooManyOrders(cap);
}
