import type { Ticket, TicketStatus } from './api/types';

/** What older services answered of a ticket: no status, null where absent. */
type OlderTicketFields = { status?: TicketStatus; orderId?: string | null };

/** The ticket's status as the API states it, or derived the way the API derives it. */
export function ticketStatus(ticket: OlderTicketFields): TicketStatus {
  return ticket.status ?? (ticket.orderId ? 'reserved' : 'available');
}

const LABELS: Record<TicketStatus, string> = {
  available: 'For sale',
  reserved: 'Reserved',
  sold: 'Sold',
  delisted: 'Withdrawn',
};

export function ticketStatusLabel(status: TicketStatus): string {
  return LABELS[status];
}

/** The highest resale price the ticket's own cap allows (round to cents), when it has one. */
export function resaleCeiling(ticket: Pick<Ticket, 'faceValue'> & { resaleCapPercent?: number | null }): number | undefined {
  if (ticket.faceValue === undefined || ticket.resaleCapPercent === undefined || ticket.resaleCapPercent === null) return undefined;
  return Math.round(ticket.faceValue * (1 + ticket.resaleCapPercent / 100) * 100) / 100;
}
