import { Ticket } from '../../models/ticket';

/** A conditional write may miss because something else changed the ticket; re-read and decide again this often. */
export const MAX_WRITE_ATTEMPTS = 5;

/**
 * The ticket an order event names. Absent → throw: the event is retried with backoff and,
 * after EVENT_MAX_HANDLER_FAILURES failures, recorded on the DEADLETTER stream (an order for a ticket we never
 * listed is a bug or a lost ticket, worth a look — never a crash).
 */
export async function readTicketFor(ticketId: string, subject: string) {
  const ticket = await Ticket.findById(ticketId).lean();
  if (!ticket) throw new Error(`${subject}: ticket ${ticketId} not found`);
  return ticket;
}
