import { WaitlistEntry } from '../../models/waitlist-entry';

/** How many buyers wait for the ticket. */
export const waitlistLength = (ticketId: string) => WaitlistEntry.countDocuments({ ticketId, status: 'waiting' });

/** 1-based place in line of the waiting entry numbered `seq`: those ahead of it, plus one. */
export const positionOf = (ticketId: string, seq: number) => WaitlistEntry.countDocuments({ ticketId, status: 'waiting', seq: { $lte: seq } });

/** True while someone waits for the ticket: a walk-in order must not jump the line. */
export async function hasWaiters(ticketId: string): Promise<boolean> {
  return (await WaitlistEntry.exists({ ticketId, status: 'waiting' })) !== null;
}
