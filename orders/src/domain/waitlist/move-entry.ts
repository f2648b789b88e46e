import { outboxEntry, pushOutbox, Subjects, type WaitlistStatus } from '@ticketing/common';
import type { Types } from 'mongoose';
import { listingState, Ticket } from '../../models/ticket';
import { WaitlistEntry } from '../../models/waitlist-entry';

/** Why an entry left the line without the ticket, as the buyer reads it. */
export const WaitlistReasons = {
  changed: 'The seller changed this ticket',
  withdrawn: 'The seller withdrew this ticket',
  sold: 'The ticket was sold',
} as const;

export interface EntryRef {
  _id: Types.ObjectId;
  version: number;
  ticketId: string;
  userId: string;
}

/**
 * Takes a waiting entry out of the line (offered, left, skipped or cleared) in ONE conditional
 * write: status, details, version + 1, the keys released and order.waitlist-changed recorded
 * together. The filter holds the version read and `waiting`, so of two racing changes (the buyer
 * leaves while a handover offers them the ticket) exactly one happens. False: it lost.
 */
export async function moveEntry(
  entry: EntryRef,
  to: Exclude<WaitlistStatus, 'waiting'>,
  details: { orderId?: string; reason?: string } = {},
): Promise<boolean> {
  const event = outboxEntry(Subjects.WaitlistChanged, {
    id: String(entry._id),
    version: entry.version + 1,
    ticketId: entry.ticketId,
    userId: entry.userId,
    status: to,
    ...details,
  });
  const moved = await WaitlistEntry.findOneAndUpdate(
    { _id: entry._id, version: entry.version, status: 'waiting' },
    { $set: { status: to, ...details, movedAt: new Date() }, $unset: { activeKey: 1, offeringKey: 1, offeringSince: 1 }, $inc: { version: 1 }, ...pushOutbox(event) },
    { returnDocument: 'after', projection: { _id: 1 } },
  );
  return moved !== null;
}

/**
 * Clears the ticket's waiting entries (all of them, or those `filter` selects), each with its
 * own event: the seller changed or withdrew the ticket, or it was sold. Idempotent. Resolves
 * with how many it cleared.
 */
export async function clearWaitlist(ticketId: string, reason: string, filter: Record<string, unknown> = {}): Promise<number> {
  let cleared = 0;
  for (;;) {
    const waiting = await WaitlistEntry.find({ ticketId, status: 'waiting', ...filter }, { _id: 1, version: 1, ticketId: 1, userId: 1 })
      .limit(100)
      .lean();
    if (waiting.length === 0) return cleared;
    // An entry that changed meanwhile is read again by the next pass (or is no longer waiting).
    for (const entry of waiting) if (await moveEntry(entry, 'cleared', { reason })) cleared++;
  }
}

/** Clears the entries that joined when the ticket had another title or price. */
export function clearChangedEntries(ticketId: string, now: { title: string; price: number }): Promise<number> {
  return clearWaitlist(ticketId, WaitlistReasons.changed, { $or: [{ 'seen.title': { $ne: now.title } }, { 'seen.price': { $ne: now.price } }] });
}

/** The ticket is not for sale (any more): sold to a holder, or withdrawn, as the replica says. */
export async function clearNotForSale(ticketId: string): Promise<number> {
  const ticket = await Ticket.findById(ticketId, { state: 1 }).lean();
  return clearWaitlist(ticketId, ticket && listingState(ticket) === 'held' ? WaitlistReasons.sold : WaitlistReasons.withdrawn);
}
