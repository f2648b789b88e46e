import { TICKET_STATES, toJSONPlugin, type TicketListingState } from '@ticketing/common';
import mongoose, { Schema } from 'mongoose';

/**
 * The orders service's replica of a ticket, kept in sync by ticket.created / ticket.updated.
 * `_id` is the ticket's id in the tickets service; `version` is the last applied version.
 */
const ticketSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    title: { type: String, required: true },
    price: { type: Number, required: true },
    userId: { type: String, required: true },
    version: { type: Number, required: true },
    /**
     * Where the listing stands (the tickets service decides): listed (for sale, maybe reserved),
     * held (sold and delivered: not for sale until its holder lists it again) or delisted.
     * Events from before listing states had none: listed.
     */
    state: { type: String, enum: TICKET_STATES, required: true, default: 'listed' },
    /**
     * The highest orderSeq given to an order of this ticket, as far as this replica knows: a
     * hint for the next order's number (place-order), never trusted for correctness.
     */
    lastOrderSeq: { type: Number },
  },
  { versionKey: false },
);
toJSONPlugin(ticketSchema);

export const Ticket = mongoose.model('Ticket', ticketSchema);

/** The replica's listing state; documents written before states existed have none: listed. */
export const listingState = (ticket: { state?: TicketListingState | null }): TicketListingState => ticket.state ?? 'listed';
