import { defineListener, Subjects } from '@ticketing/common';
import { Ticket } from '../../models/ticket';

/**
 * Adds a ticket to the replica if it is absent. A redelivery (or a replica that is already
 * further along) hits the unique `_id` and changes nothing.
 */
export const ticketCreatedListener = defineListener({
  subject: Subjects.TicketCreated,
  async handle(data, { logger }) {
    try {
      await Ticket.create({
        _id: data.id,
        title: data.title,
        price: data.price,
        userId: data.userId,
        state: data.state ?? 'listed',
        version: data.version,
      });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      logger.debug({ ticketId: data.id }, 'ticket already in the replica; duplicate ignored');
    }
  },
});
