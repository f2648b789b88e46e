import { defineListener, RetryLaterError, Subjects, type Logger, type TicketUpdatedEvent } from '@ticketing/common';
import { confirmReservation } from '../../domain/confirm-reservation';
import { releaseResoldTicket } from '../../domain/release-resold-ticket';
import { Ticket } from '../../models/ticket';
import { clearChangedEntries, clearWaitlist, WaitlistReasons } from '../../domain/waitlist/move-entry';

/**
 * Applies a ticket update when it is the next version: one write filtered on
 * `version: event.version - 1`. An older version is a duplicate (ack); a newer one (or an
 * unknown ticket) waits for the versions before it (nak with a delay).
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
    const applied = await Ticket.updateOne(
      { _id: data.id, version: data.version - 1 },
      { $set: { title: data.title, price: data.price, userId: data.userId, state: data.state ?? 'listed', version: data.version } },
    );
    if (applied.matchedCount === 1) return followCurrentVersion(data, logger);

    const replica = await Ticket.findById(data.id, { version: 1 }).lean();
    if (!replica) throw new RetryLaterError(`ticket ${data.id} is not in the replica yet (version ${data.version} arrived first)`);
    if (data.version === replica.version) return followCurrentVersion(data, logger);
    if (data.version < replica.version) {
      logger.debug({ ticketId: data.id, version: data.version, replicaVersion: replica.version }, 'stale ticket update ignored');
      return confirmHolder(data);
    }
    throw new RetryLaterError(`ticket ${data.id} is at version ${replica.version}; version ${data.version} must wait for the ones before it`);
  },
});

async function confirmHolder(data: { id: string; orderId?: string }): Promise<void> {
  if (data.orderId) await confirmReservation(data.orderId, data.id);
}

async function followCurrentVersion(data: TicketUpdatedEvent, logger: Logger): Promise<void> {
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
