import { z } from 'zod';

/**
 * available = for sale; reserved = an order holds it; sold = delivered to its holder (who may
 * list it again); delisted = withdrawn by its organizer.
 */
export const TICKET_STATUSES = ['available', 'reserved', 'sold', 'delisted'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

const isoDate = () => z.iso.datetime({ offset: true });

/** A ticket as the API shows it. */
export const ticketSchema = z.object({
  id: z.string(),
  title: z.string(),
  price: z.number(),
  userId: z.string().describe('The seller: the organizer, or the holder who listed it again'),
  version: z.number().int().describe('Incremented by every change'),
  orderId: z.string().optional().describe('The order holding (reserving) the ticket; once sold, the sale'),
  status: z.enum(TICKET_STATUSES).describe('available: for sale; reserved: an order holds it; sold: delivered to holderId; delisted: withdrawn by its organizer'),
  organizerId: z.string().describe('Who created the ticket: checks it in at the door'),
  faceValue: z.number().describe('The price at creation: the base of the resale cap'),
  holderId: z.string().optional().describe('The buyer it was delivered to (status sold), or its last holder while it is resold'),
  resaleCapPercent: z.number().int().optional().describe("This ticket's resale cap (percent above face value), if set at creation"),
  checkedIn: z.boolean().describe('The current delivery was admitted at the door'),
});
export type Ticket = z.infer<typeof ticketSchema>;

/** One sale of a ticket (GET /api/tickets/listings shows the signed-in seller's own). */
export const ticketSaleSchema = z.object({ orderId: z.string(), buyerId: z.string(), price: z.number(), at: isoDate() });
export type TicketSale = z.infer<typeof ticketSaleSchema>;

/** A ticket on "My listings": what it is now and what the signed-in seller sold of it. */
export const ticketListingSchema = ticketSchema.extend({ sales: z.array(ticketSaleSchema).describe('Only the sales you made') });
export type TicketListing = z.infer<typeof ticketListingSchema>;

/** GET /api/tickets/:id/code: the holder's e-ticket (a signed, versioned token). */
export const ticketCodeSchema = z.object({ ticketId: z.string(), code: z.string(), delivery: z.number().int(), checkedIn: z.boolean() });
export type TicketCode = z.infer<typeof ticketCodeSchema>;

/** POST /api/tickets/:id/checkin answers 200 with this when the code admits. */
export const checkinAnswerSchema = z.object({ admitted: z.literal(true), ticketId: z.string(), holderId: z.string(), checkedInAt: isoDate() });
export type CheckinAnswer = z.infer<typeof checkinAnswerSchema>;

/** GET /api/tickets/code-keys: the public keys that verify e-ticket codes. */
export const codeKeysSchema = z.object({
  keys: z.array(z.object({ kid: z.string(), alg: z.literal('ES256'), jwk: z.record(z.string(), z.unknown()) })),
});
export type CodeKeys = z.infer<typeof codeKeysSchema>;
