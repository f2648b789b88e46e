import { OrderStatus, outboxPlugin, toJSONPlugin } from '@ticketing/common';
import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** Snapshot of the ticket taken when the order was placed: the price the buyer saw. */
const ticketSnapshotSchema = new Schema(
  {
    id: { type: String, required: true },
    title: { type: String, required: true },
    price: { type: Number, required: true },
  },
  { _id: false, id: false },
);

/**
 * An order. `reservationKey` carries the one-winner guarantee: it equals the ticket id
 * while the order holds the ticket (created / awaiting:payment / complete) and becomes
 * `released:<orderId>` when the order is cancelled. A plain unique index on it lets only
 * one order hold a ticket at a time, enforced by the database on a single insert — no
 * check-then-insert, no partial index, so it holds on every MongoDB-wire server.
 */
const orderSchema = new Schema(
  {
    userId: { type: String, required: true },
    status: { type: String, required: true, enum: Object.values(OrderStatus), default: OrderStatus.Created },
    expiresAt: { type: Date, required: true },
    ticket: { type: ticketSnapshotSchema, required: true },
    version: { type: Number, required: true, default: 0 },
    reservationKey: { type: String, required: true, unique: true },
  },
  { versionKey: false, timestamps: true },
);
// A buyer's orders, newest first (GET /api/orders).
orderSchema.index({ userId: 1, createdAt: -1 });
orderSchema.plugin(outboxPlugin);
toJSONPlugin(orderSchema, { hidden: ['reservationKey', 'updatedAt'] });

export type OrderDoc = InferSchemaType<typeof orderSchema> & { _id: mongoose.Types.ObjectId };

/** The reservation key of a cancelled order: unique, and never a ticket id. */
export const releasedKey = (orderId: string) => `released:${orderId}`;

export const Order = mongoose.model('Order', orderSchema);
