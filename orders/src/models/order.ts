import { OrderCancelReason, OrderStatus, outboxField, outboxPlugin, toJSONPlugin } from '@ticketing/common';
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

/** What the orders service knows of a payment, from the payments service's events. */
export const ORDER_PAYMENT_STATUSES = ['authorized', 'captured', 'voided', 'refunded'] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

/**
 * One payment of the order as its events told it: `version` is the payment's own (created 0,
 * captured / voided 1, refunded 2), so an entry only ever moves forward (record-payment).
 */
const orderPaymentSchema = new Schema(
  {
    status: { type: String, required: true, enum: ORDER_PAYMENT_STATUSES },
    /** Cents, as the processor counts them; absent when the events did not say. */
    amount: { type: Number },
    version: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { _id: false, id: false },
);

/**
 * An order. `reservationKey` carries the one-winner guarantee: it equals the ticket id
 * while the order holds the ticket (created / awaiting:payment / complete) and becomes
 * `released:<orderId>` when the order is cancelled (`resold:<orderId>` when the ticket it bought
 * is listed again by its new holder). A plain unique index on it lets only
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
    /** The order's place among its ticket's orders (see sequenceKey); absent on older orders. */
    orderSeq: { type: Number },
    /**
     * `<ticketId>:<orderSeq>`. Unique, and orderSeq is taken as (highest so far) + 1, so the
     * numbers of a ticket's orders are 1, 2, 3 … in insert order: an insert that read a stale
     * highest number collides and is retried. Hence an order that holds the ticket after
     * another was released always has the higher number — what the tickets service relies on.
     * Sparse: orders from before it existed have none.
     */
    sequenceKey: { type: String, unique: true, sparse: true },
    /**
     * `<userId>:<slot>` while the order is active (created / awaiting:payment) and a cap on
     * active orders is set; removed when it is cancelled or completed. Unique, with slots
     * 0 … cap-1: a buyer can never hold more than `cap` active orders, however many requests
     * race (see place-order).
     */
    buyerSlot: { type: String, unique: true, sparse: true },
    /** Why a cancelled order was cancelled (absent on orders cancelled before it existed). */
    cancelReason: { type: String, enum: Object.values(OrderCancelReason) },
    /**
     * The order's payments (normally one) by payment id, recorded from payment.* events WITHOUT
     * changing `version`: that counts the order's own state changes, which replicas follow. A
     * map, not an array, so that each entry is written by one conditional update of its own
     * path (record-payment). Shown to the buyer as `payment` (order-view), never as is.
     */
    payments: { type: Map, of: orderPaymentSchema, default: undefined },
    /** When a complete order gave its reservationKey up because its buyer listed the ticket again. */
    resoldAt: { type: Date },
    ...outboxField,
  },
  { versionKey: false, timestamps: true },
);
// A buyer's orders, newest first (GET /api/orders).
orderSchema.index({ userId: 1, createdAt: -1 });
// The highest orderSeq of a ticket (place-order, after a collision).
orderSchema.index({ 'ticket.id': 1, orderSeq: -1 });
// The reconciliation sweep: unpaid orders whose window has passed.
orderSchema.index({ status: 1, expiresAt: 1 });
orderSchema.plugin(outboxPlugin);
toJSONPlugin(orderSchema, { hidden: ['resoldAt', 'reservationKey', 'orderSeq', 'sequenceKey', 'buyerSlot', 'updatedAt', 'payments'] });

export type OrderDoc = InferSchemaType<typeof orderSchema> & { _id: mongoose.Types.ObjectId };

/** The reservation key of a cancelled order: unique, and never a ticket id. */
export const releasedKey = (orderId: string) => `released:${orderId}`;

/** The reservation key of a sold order whose ticket its holder listed again (release-resold-ticket). */
export const resoldKey = (orderId: string) => `resold:${orderId}`;

export const sequenceKey = (ticketId: string, orderSeq: number) => `${ticketId}:${orderSeq}`;
export const buyerSlotKey = (userId: string, slot: number) => `${userId}:${slot}`;

export const Order = mongoose.model('Order', orderSchema);
