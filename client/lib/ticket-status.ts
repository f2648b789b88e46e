import type { Ticket, TicketStatus } from './api/types';

/** The ticket's status as the API states it, or derived the way the API derives it. */
export function ticketStatus(ticket: Pick<Ticket, 'status' | 'orderId'>): TicketStatus {
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
export function resaleCeiling(ticket: Pick<Ticket, 'faceValue' | 'resaleCapPercent'>): number | undefined {
  if (ticket.faceValue === undefined || ticket.resaleCapPercent === undefined || ticket.resaleCapPercent === null) return undefined;
  return Math.round(ticket.faceValue * (1 + ticket.resaleCapPercent / 100) * 100) / 100;
}
