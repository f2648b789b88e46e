import { outboxEntry, outboxPlugin, toJSONPlugin, Subjects, type OutboxEntry } from '@ticketing/common';
import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';

export const TITLE_MAX_LENGTH = 120;
export const PRICE_MAX = 1_000_000;

const ticketSchema = new Schema(
  {
    title: { type: String, required: true, trim: true, maxlength: TITLE_MAX_LENGTH },
    price: { type: Number, required: true, min: 0 },
    userId: { type: String, required: true },
    /** The order holding the ticket; absent while the ticket is for sale. */
    orderId: { type: String },
    /** Bumped by every change; a write filtered on the version read is optimistic concurrency. */
    version: { type: Number, required: true, default: 0 },
    /**
     * Orders already cancelled for this ticket (hidden). order.cancelled and order.created run on
     * different consumers, so a cancel may arrive first, and a create may be redelivered after its
     * cancel: neither may leave the ticket held by a dead order.
     */
    releasedOrderIds: { type: [String], default: [] },
  },
  { versionKey: false },
);
ticketSchema.plugin(outboxPlugin);
toJSONPlugin(ticketSchema, { hidden: ['releasedOrderIds'] });
// The list: available tickets, newest first, keyset-paginated on _id.
ticketSchema.index({ orderId: 1, _id: -1 });

export type TicketFields = InferSchemaType<typeof ticketSchema>;
export type TicketDoc = HydratedDocument<TicketFields>;

/** What a ticket.created / ticket.updated event says about a ticket in a given state. */
export interface TicketState {
  _id: unknown;
  title: string;
  price: number;
  userId: string;
  orderId?: string | null;
  version: number;
}

export function ticketEvent(subject: typeof Subjects.TicketCreated | typeof Subjects.TicketUpdated, t: TicketState): OutboxEntry {
  return outboxEntry(subject, {
    id: String(t._id),
    version: t.version,
    title: t.title,
    price: t.price,
    userId: t.userId,
    ...(t.orderId ? { orderId: t.orderId } : {}),
  });
}

export const Ticket = mongoose.model('Ticket', ticketSchema);
