import { defineListener, RetryLaterError, Subjects } from '@ticketing/common';
import { confirmReservation } from '../../lifecycle/confirm-reservation';
import { Ticket } from '../../models/ticket';

/**
 * Applies a ticket update when it is the next version: one write filtered on
 * `version: event.version - 1`. An older or equal version is a duplicate (ack); a newer one
 * (or an unknown ticket) waits for the versions before it (nak with a delay).
 *
 * An update naming an order is the tickets service holding the ticket for it: that order may
 * now be paid (confirmReservation; a no-op when it is no longer waiting, so stale copies and
 * duplicates are harmless).
 */
export const ticketUpdatedListener = defineListener({
  subject: Subjects.TicketUpdated,
  async handle(data, { logger }) {
    const applied = await Ticket.updateOne(
      { _id: data.id, version: data.version - 1 },
      { $set: { title: data.title, price: data.price, userId: data.userId, version: data.version } },
    );
    if (applied.matchedCount === 1) return confirmHolder(data);

    const replica = await Ticket.findById(data.id, { version: 1 }).lean();
    if (!replica) throw new RetryLaterError(`ticket ${data.id} is not in the replica yet (version ${data.version} arrived first)`);
    if (data.version <= replica.version) {
      logger.debug({ ticketId: data.id, version: data.version, replicaVersion: replica.version }, 'stale ticket update ignored');
      return confirmHolder(data);
    }
    throw new RetryLaterError(`ticket ${data.id} is at version ${replica.version}; version ${data.version} must wait for the ones before it`);
  },
});

async function confirmHolder(data: { id: string; orderId?: string }): Promise<void> {
  if (data.orderId) await confirmReservation(data.orderId, data.id);
}
