import { defineListener, insertOrIgnore, Subjects } from '@ticketing/common';
import { Ticket } from '../../models/ticket';

/**
 * Adds a ticket to the replica if it is absent. A redelivery (or a replica that is already
 * further along) hits the unique `_id` and changes nothing.
 */
export const ticketCreatedListener = defineListener({
  subject: Subjects.TicketCreated,
  async handle(data, { logger }) {
    const inserted = await insertOrIgnore(Ticket, {
      _id: data.id,
      title: data.title,
      price: data.price,
      userId: data.userId,
      state: data.state ?? 'listed',
      version: data.version,
    });
    if (!inserted) logger.debug({ ticketId: data.id }, 'ticket already in the replica; duplicate ignored');
  },
});
