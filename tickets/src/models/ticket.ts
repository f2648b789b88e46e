import {
  isChargeablePrice,
  outboxEntry,
  outboxField,
  outboxPlugin,
  priceBoundsMessage,
  singleLineTextProblem,
  Subjects,
  TICKET_STATES,
  type OutboxEntry,
  type TicketListingState,
} from '@ticketing/common';
import { ticketView } from './ticket-view';
import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';

/** A title: one line of 1..120 Unicode code points, stored exactly as sent (see common's text rules). */
export const TITLE_RULE = { maxLength: 120, label: 'Title' } as const;

const saleSchema = new Schema(
  { orderId: { type: String, required: true }, sellerId: { type: String, required: true }, buyerId: { type: String, required: true }, price: { type: Number, required: true }, at: { type: Date, required: true } },
  { _id: false },
);

const ticketSchema = new Schema(
  {
    // The same rules as the route's (common): no UTF-16 `maxlength`, no `trim` that would
    // change what was accepted; checked on create and, with runValidators, on update.
    title: {
      type: String,
      required: true,
      validate: { validator: (v: unknown) => singleLineTextProblem(v, TITLE_RULE) === undefined, message: 'Invalid title' },
    },
    price: { type: Number, required: true, validate: { validator: isChargeablePrice, message: priceBoundsMessage } },
    userId: { type: String, required: true },
    /** The order holding the ticket; absent while the ticket is for sale. */
    orderId: { type: String },
    /** Bumped by every change; a write filtered on the version read is optimistic concurrency. */
    version: { type: Number, required: true, default: 0 },
    /** The holding order's number among this ticket's orders (absent for older orders). */
    orderSeq: { type: Number },
    /**
     * The highest number of an order of this ticket seen cancelled (or refused). order.cancelled
     * and order.created run on different consumers, so a cancel may arrive first, and a create
     * may be redelivered after its cancel: an order.created numbered at or below this is for a
     * dead order (orders numbers a ticket's orders in the order they took it: one placed after
     * another was released always has the higher number). O(1), unlike a list of ids.
     */
    releasedSeq: { type: Number },
    /**
     * Where the listing stands (see TICKET_STATES): 'listed' (for sale by userId; reserved
     * while orderId is set), 'held' (sold and delivered to holderId; orderId = the sale),
     * 'delisted' (withdrawn by its organizer). Absent on older documents: 'listed'.
     */
    state: { type: String, enum: TICKET_STATES },
    /** Who created the ticket: checks it in at the door. Absent on older documents: userId. */
    organizerId: { type: String },
    /** The price at creation, the base of the resale cap. Absent on older documents: price. */
    faceValue: { type: Number },
    /** Resale cap in percent above faceValue, set at creation (else the service's TICKET_RESALE_CAP_PERCENT). */
    resaleCapPercent: { type: Number },
    /** The buyer it was delivered to (state held), or its last holder. */
    holderId: { type: String },
    /** Deliveries so far (0: never). A code names one delivery; any later change supersedes it. */
    delivery: { type: Number },
    /** When the current delivery was admitted at the door (absent: not yet). */
    checkedInAt: { type: Date },
    /** Every sale, appended once per completed order. */
    sales: { type: [saleSchema], default: undefined },
    ...outboxField,
  },
  { versionKey: false },
);
ticketSchema.plugin(outboxPlugin);
// The JSON of every route (hydrated or lean): see ticketView.
ticketSchema.set('toJSON', { versionKey: false, transform: (_doc, ret: Record<string, unknown>) => ticketView(ret) });
// The catalogue: available tickets (no order, listed or older without a state), newest first
// or by price, keyset-paginated on (price,) _id.
ticketSchema.index({ orderId: 1, state: 1, _id: -1 });
ticketSchema.index({ orderId: 1, state: 1, price: 1, _id: 1 });
// My tickets; my listings (as the current seller, or as the seller of a past sale).
ticketSchema.index({ holderId: 1, state: 1 });
ticketSchema.index({ userId: 1 });
ticketSchema.index({ 'sales.sellerId': 1 });

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
  state?: TicketListingState | null;
  holderId?: string | null;
  organizerId?: string | null;
}

export function ticketEvent(subject: typeof Subjects.TicketCreated | typeof Subjects.TicketUpdated, t: TicketState): OutboxEntry {
  return outboxEntry(subject, {
    id: String(t._id),
    version: t.version,
    title: t.title,
    price: t.price,
    userId: t.userId,
    ...(t.orderId ? { orderId: t.orderId } : {}),
    state: t.state ?? 'listed',
    ...(t.holderId ? { holderId: t.holderId } : {}),
    organizerId: t.organizerId ?? t.userId,
  });
}

export const Ticket = mongoose.model('Ticket', ticketSchema);
