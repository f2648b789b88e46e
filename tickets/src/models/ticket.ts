import {
  isChargeablePrice,
  outboxEntry,
  outboxPlugin,
  priceBoundsMessage,
  singleLineTextProblem,
  toJSONPlugin,
  Subjects,
  type OutboxEntry,
} from '@ticketing/common';
import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';

/** A title: one line of 1..120 Unicode code points, stored exactly as sent (see common's text rules). */
export const TITLE_RULE = { maxLength: 120, label: 'Title' } as const;

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
  },
  { versionKey: false },
);
ticketSchema.plugin(outboxPlugin);
// releasedOrderIds: the unbounded list releasedSeq replaced; old documents lose it on their next reservation or release.
toJSONPlugin(ticketSchema, { hidden: ['orderSeq', 'releasedSeq', 'releasedOrderIds'] });
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
