import { applyNextVersion, defineListener, Subjects, type EventData, type Logger } from '@ticketing/common';
import { confirmReservation } from '../../domain/confirm-reservation';
import { releaseResoldTicket } from '../../domain/release-resold-ticket';
import { Ticket } from '../../models/ticket';
import { clearChangedEntries, clearWaitlist, WaitlistReasons } from '../../domain/waitlist/move-entry';

/**
 * Applies a ticket update by the replica rule (applyNextVersion): the next version is
 * applied; an older one is a duplicate (ack); a newer one (or an unknown ticket) waits for
 * the versions before it (retried later).
 *
 * An update naming an order is the tickets service holding the ticket for it: that order may
 * now be paid (confirmReservation; a no-op when it is no longer waiting, so stale copies and
 * duplicates are harmless). What follows from the ticket's CURRENT version (a resale; the
 * waitlist emptied when the seller changed or withdrew the ticket, or it was sold) runs when
 * it is applied and again when that same version is redelivered (a failed follow-up is retried);
 * never for an older version, which no longer describes the ticket.
 */
export const ticketUpdatedListener = defineListener({
  subject: Subjects.TicketUpdated,
  async handle(data, { logger }) {
    const fields = { title: data.title, price: data.price, userId: data.userId, state: data.state ?? 'listed' };
    const outcome = await applyNextVersion(Ticket, 'ticket', { id: data.id, version: data.version, fields });
    if (outcome !== 'stale') return followCurrentVersion(data, logger);
    logger.debug({ ticketId: data.id, version: data.version }, 'stale ticket update ignored');
    return confirmHolder(data);
  },
});

async function confirmHolder(data: { id: string; orderId?: string }): Promise<void> {
  if (data.orderId) await confirmReservation(data.orderId, data.id);
}

async function followCurrentVersion(data: EventData<typeof Subjects.TicketUpdated>, logger: Logger): Promise<void> {
  await confirmHolder(data);
  const state = data.state ?? 'listed';
  if (state !== 'listed') {
    await clearWaitlist(data.id, state === 'held' ? WaitlistReasons.sold : WaitlistReasons.withdrawn);
    return;
  }
  // Those who joined the line for another title or price did not ask for this ticket.
  await clearChangedEntries(data.id, data);
  // Listed with no order: for sale. If it was sold, its holder is selling it again.
  if (!data.orderId && (await releaseResoldTicket(data.id)) === 'released') {
    logger.info({ ticketId: data.id, version: data.version, seller: data.userId }, 'sold ticket listed again by its holder: for sale');
  }
}
