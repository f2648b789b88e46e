import type { TicketListingState } from '@ticketing/common';

/** The stored fields that decide who may do what with a ticket (older documents lack the newer ones). */
export interface ListingFields {
  userId: string;
  state?: TicketListingState | null;
  organizerId?: string | null;
  holderId?: string | null;
  orderId?: string | null;
  sales?: { orderId: string; sellerId: string }[] | null;
}

export const stateOf = (t: ListingFields): TicketListingState => t.state ?? 'listed';

/** Who created the ticket (older documents: the seller, who was then always its creator). */
export const organizerOf = (t: ListingFields): string => t.organizerId ?? t.userId;

/** A resale: the ticket is offered by someone other than its organizer. */
export const isResale = (t: ListingFields): boolean => t.userId !== organizerOf(t);

/** The last completed sale, if any. */
export const lastSaleOf = (t: ListingFields) => (t.sales && t.sales.length > 0 ? t.sales[t.sales.length - 1] : undefined);
