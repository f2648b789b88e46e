import { outboxField, outboxPlugin, WAITLIST_STATUSES } from '@ticketing/common';
import mongoose, { Schema } from 'mongoose';

/** The ticket as the buyer saw it when they joined: a seller's change later clears the entry. */
const seenSchema = new Schema(
  { title: { type: String, required: true }, price: { type: Number, required: true } },
  { _id: false, id: false },
);

/**
 * A buyer in line for a reserved ticket. When the hold is released the first waiting entry is
 * offered the ticket (an order placed for them: waitlist/handover). Every status change is ONE
 * conditional write with its order.waitlist-changed event (outbox), `version` + 1.
 *
 * The keys, like the order's, are plain unique indexes (sparse where absent), so the database
 * decides every race on a single write:
 * - queueKey `<ticketId>:<seq>`: seq is (highest so far) + 1, so places in line are 1, 2, 3 …
 *   in join order; two joins that read the same highest collide and the loser renumbers;
 * - activeKey `<ticketId>:<userId>` while waiting: a buyer is in line once per ticket;
 * - offeringKey `<ticketId>` while a handover to this entry is in progress: one at a time per
 *   ticket, across replicas (a second claimant collides and stops).
 */
const waitlistEntrySchema = new Schema(
  {
    ticketId: { type: String, required: true },
    userId: { type: String, required: true },
    seq: { type: Number, required: true },
    queueKey: { type: String, required: true, unique: true },
    status: { type: String, required: true, enum: WAITLIST_STATUSES },
    activeKey: { type: String, unique: true, sparse: true },
    offeringKey: { type: String, unique: true, sparse: true },
    /** When the handover in progress claimed this entry: an old claim is a crashed one. */
    offeringSince: { type: Date },
    /** The order placed for the buyer (status offered). */
    orderId: { type: String },
    /** Why the entry was skipped or cleared, for people. */
    reason: { type: String },
    seen: { type: seenSchema, required: true },
    version: { type: Number, required: true, default: 0 },
    joinedAt: { type: Date, required: true },
    /** When it left the line (offered, left, skipped, cleared); the order of events in a line. */
    movedAt: { type: Date },
    ...outboxField,
  },
  // No updatedAt: the outbox relay's writes would move it.
  { versionKey: false },
);
// A ticket's line in order (the first waiter, positions, length).
waitlistEntrySchema.index({ ticketId: 1, status: 1, seq: 1 });
// A buyer's entries, newest first (GET /api/orders/waitlist).
waitlistEntrySchema.index({ userId: 1, joinedAt: -1 });
// The sweep: tickets that have someone waiting.
waitlistEntrySchema.index({ status: 1, ticketId: 1 });
waitlistEntrySchema.plugin(outboxPlugin);

export const queueKey = (ticketId: string, seq: number) => `${ticketId}:${seq}`;
export const activeKey = (ticketId: string, userId: string) => `${ticketId}:${userId}`;

export const WaitlistEntry = mongoose.model('WaitlistEntry', waitlistEntrySchema);
