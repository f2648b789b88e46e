import { NotFoundError } from '@ticketing/common';
import { activeKey, WaitlistEntry } from '../../models/waitlist-entry';
import { moveEntry } from './move-entry';

/** Each retry follows a concurrent change of the entry (a handover claiming it). */
const MAX_ATTEMPTS = 5;

/**
 * The buyer leaves the line (status left, with its event). 404 when they are not waiting —
 * also when a handover offered them the ticket first: then they have an order to cancel.
 */
export async function leaveWaitlist(ticketId: string, userId: string): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const entry = await WaitlistEntry.findOne({ activeKey: activeKey(ticketId, userId) }, { _id: 1, version: 1, ticketId: 1, userId: 1 }).lean();
    if (!entry) throw new NotFoundError('You are not on the waitlist of this ticket');
    if (await moveEntry(entry, 'left')) return;
  }
  throw new Error(`waitlist entry of ${userId} for ticket ${ticketId}: could not leave after ${MAX_ATTEMPTS} concurrent changes`);
}
