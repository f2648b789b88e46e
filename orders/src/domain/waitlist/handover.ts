import { BadRequestError, isDuplicateKeyError, OrderCancelReason, UNPAID_ORDER_STATUSES, type Logger } from '@ticketing/common';
import { cancelOrder } from '../cancel-order';
import type { OrderPolicy } from '../order-policy';
import { placeOrder, TicketRefusals } from '../place-order';
import { Order } from '../../models/order';
import { listingState, Ticket } from '../../models/ticket';
import { WaitlistEntry } from '../../models/waitlist-entry';
import { clearChangedEntries, clearNotForSale, moveEntry, type EntryRef } from './move-entry';

export interface HandoverContext extends OrderPolicy {
  logger: Logger;
  /** A claim older than this is taken for a crashed handover and finished by whoever finds it. */
  staleClaimSeconds?: number;
}

/**
 * offered: an order now holds the ticket for the first in line. held: an order holds the ticket
 * (nobody to serve). nobody: no one waits. busy: another handover of this ticket is in progress.
 */
export type HandoverOutcome = 'offered' | 'held' | 'nobody' | 'busy';

const DEFAULT_STALE_CLAIM_SECONDS = 30;
/** Waiters one call may skip or clear before it leaves the rest to the next call (the sweep). */
const MAX_PASSES = 200;

type Claimed = EntryRef & { offeringSince?: Date | null };
type Step = HandoverOutcome | 'next';

/**
 * The ticket's hold was released (or may have been): hand it to the first in line. One handover
 * at a time per ticket: the first waiting entry is CLAIMED (its unique offeringKey = ticket id; a
 * second claimant collides and stops), then an order is placed for that buyer by placeOrder — the
 * normal window, the normal one-winner insert — and the entry becomes offered with the order's id.
 * A buyer who cannot take it (at their order cap, their own ticket) is skipped, with the reason,
 * and the next one is tried. A claim left by a crash is finished by the next call that finds it
 * stale: the buyer's order already holding the ticket is linked, else the order is placed.
 * Called after every release and by the periodic sweep; safe to call at any time, from any replica.
 */
export async function offerReleasedTicket(ticketId: string, ctx: HandoverContext): Promise<HandoverOutcome> {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const claimed = await claimFirstWaiter(ticketId, (ctx.staleClaimSeconds ?? DEFAULT_STALE_CLAIM_SECONDS) * 1000);
    if (claimed === 'next') continue;
    if (typeof claimed === 'string') return claimed;
    const step = await offerTo(claimed, ctx);
    if (step !== 'next') return step;
  }
  ctx.logger.warn({ ticketId }, 'waitlist handover stopped after many skipped waiters; the sweep continues');
  return 'busy';
}

async function claimFirstWaiter(ticketId: string, staleMs: number): Promise<Claimed | Step> {
  const current = await WaitlistEntry.findOne({ offeringKey: ticketId }, { _id: 1, version: 1, ticketId: 1, userId: 1, offeringSince: 1 }).lean();
  if (current) return Date.now() - (current.offeringSince?.getTime() ?? 0) < staleMs ? 'busy' : current;
  if (await Order.exists({ reservationKey: ticketId })) return 'held';
  const first = await WaitlistEntry.findOne({ ticketId, status: 'waiting' }, { _id: 1, version: 1, ticketId: 1, userId: 1 })
    .sort({ seq: 1 })
    .lean();
  if (!first) return 'nobody';
  try {
    const claimed = await WaitlistEntry.findOneAndUpdate(
      // Unclaimed: of two handovers that read the same first waiter, one claims it, the other
      // reads again and finds the claim.
      { _id: first._id, version: first.version, status: 'waiting', offeringKey: { $exists: false } },
      { $set: { offeringKey: ticketId, offeringSince: new Date() } },
      { returnDocument: 'after', projection: { _id: 1, version: 1, ticketId: 1, userId: 1, offeringSince: 1 } },
    ).lean();
    return claimed ?? 'next'; // claimed elsewhere, or it left: read again
  } catch (err) {
    if (isDuplicateKeyError(err)) return 'busy'; // another replica claimed first
    throw err;
  }
}

async function offerTo(entry: Claimed, ctx: HandoverContext): Promise<Step> {
  const { ticketId, userId } = entry;
  const ticket = await Ticket.findById(ticketId, { title: 1, price: 1, state: 1 }).lean();
  if (!ticket || listingState(ticket) !== 'listed') {
    await clearNotForSale(ticketId);
    return 'nobody';
  }
  // Those who joined at another price or title did not ask for this ticket as it is now.
  if ((await clearChangedEntries(ticketId, ticket)) > 0 && !(await WaitlistEntry.exists({ _id: entry._id, offeringKey: ticketId }))) return 'next';

  const holding = await holdingOrder(ticketId);
  if (holding) return holding.userId === userId && holding.unpaid ? link(entry, holding.id, false, ctx) : unclaim(entry, 'held');
  try {
    const order = await placeOrder({ ticketId, userId, windowSeconds: ctx.windowSeconds, maxActivePerBuyer: ctx.maxActivePerBuyer });
    return await link(entry, order.id, true, ctx);
  } catch (err) {
    if (!(err instanceof BadRequestError)) return unclaim(entry, err);
    if (err.message === TicketRefusals.reserved) {
      const raced = await holdingOrder(ticketId);
      return raced?.userId === userId && raced.unpaid ? link(entry, raced.id, false, ctx) : unclaim(entry, 'held');
    }
    if (err.message === TicketRefusals.notForSale) {
      await clearNotForSale(ticketId);
      return 'nobody';
    }
    // The buyer cannot take it (their order cap, their own ticket): the next one may. Unless the
    // order that fills their cap is this very ticket's (a finisher of the same claim raced us).
    const raced = await holdingOrder(ticketId);
    if (raced?.userId === userId && raced.unpaid) return link(entry, raced.id, false, ctx);
    if (await moveEntry(entry, 'skipped', { reason: err.message })) ctx.logger.info({ ticketId, userId, reason: err.message }, 'waitlist: buyer skipped');
    return 'next';
  }
}

async function holdingOrder(ticketId: string) {
  const order = await Order.findOne({ reservationKey: ticketId }, { userId: 1, status: 1 }).lean();
  return order && { id: String(order._id), userId: order.userId, unpaid: UNPAID_ORDER_STATUSES.includes(order.status) };
}

/** The entry becomes offered with `orderId`. Lost to the buyer leaving meanwhile: our order goes. */
async function link(entry: Claimed, orderId: string, placedHere: boolean, ctx: HandoverContext): Promise<Step> {
  if (await moveEntry(entry, 'offered', { orderId })) {
    ctx.logger.info({ ticketId: entry.ticketId, userId: entry.userId, orderId }, 'waitlist: ticket offered to the first in line');
    return 'offered';
  }
  const now = await WaitlistEntry.findById(entry._id, { status: 1, orderId: 1 }).lean();
  if (now?.status === 'offered' && now.orderId === orderId) return 'offered'; // another finisher linked it
  if (placedHere) await cancelOrder(orderId, OrderCancelReason.Buyer);
  return 'next';
}

/** Gives the claim up, untouched otherwise: the entry keeps its place for the next release. */
async function unclaim(entry: Claimed, why: unknown): Promise<Step> {
  await WaitlistEntry.updateOne({ _id: entry._id, offeringKey: entry.ticketId }, { $unset: { offeringKey: 1, offeringSince: 1 } });
  if (why === 'held') return 'held';
  throw why;
}
