import { z } from 'zod';

export const ORDER_STATUSES = ['created', 'cancelled', 'awaiting:payment', 'complete'] as const;
export type OrderStatusName = (typeof ORDER_STATUSES)[number];

/** Why a cancelled order was cancelled (absent on orders cancelled before the API said). */
export const ORDER_CANCEL_REASONS = ['buyer', 'expired', 'ticket-changed'] as const;
export type OrderCancelReasonName = (typeof ORDER_CANCEL_REASONS)[number];

/**
 * A payment as the order shows it: authorized = the amount is held on the card, not taken;
 * captured = charged; voided = the hold was released, nothing charged; refunded = given back.
 */
export const ORDER_PAYMENT_STATUSES = ['authorized', 'captured', 'voided', 'refunded'] as const;
export type OrderPaymentStatus = (typeof ORDER_PAYMENT_STATUSES)[number];

const isoDate = () => z.iso.datetime({ offset: true });

export const orderPaymentSchema = z.object({
  id: z.string().describe('The payment id (payments service)'),
  status: z.enum(ORDER_PAYMENT_STATUSES),
  amount: z.number().int().optional().describe('In cents (held, charged or refunded); absent when not known'),
});
export type OrderPayment = z.infer<typeof orderPaymentSchema>;

/** An order as the API shows it. */
export const orderSchema = z.object({
  id: z.string(),
  status: z
    .enum(ORDER_STATUSES)
    .describe('created: placed, the tickets service has yet to confirm it holds the ticket; awaiting:payment: confirmed, payable; complete: paid; cancelled: see cancelReason'),
  expiresAt: isoDate().describe('The end of the reservation window'),
  ticket: z.object({ id: z.string(), title: z.string(), price: z.number() }).describe('The ticket as it was when the order was placed'),
  userId: z.string(),
  version: z.number().int(),
  cancelReason: z.enum(ORDER_CANCEL_REASONS).optional().describe('Why a cancelled order was cancelled'),
  createdAt: isoDate(),
  payment: orderPaymentSchema
    .nullable()
    .describe("The order's most relevant payment (money that moved over a hold over a released hold); null while none was authorised"),
});
export type Order = z.infer<typeof orderSchema>;

export const WAITLIST_STATUSES = ['waiting', 'offered', 'left', 'skipped', 'cleared'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];
const waitlistStatus = z
  .enum(WAITLIST_STATUSES)
  .describe('waiting: in line; offered: an order was placed for you (orderId); left: you left; skipped: you could not take it (reason); cleared: the ticket changed, was withdrawn or sold (reason)');

/** POST /api/orders/waitlist answers this (201 joined, 200 already waiting). */
export const waitlistPlaceSchema = z.object({
  ticketId: z.string(),
  status: z.literal('waiting'),
  position: z.number().int().min(1).describe('1 = you are next'),
  length: z.number().int().describe('How many wait (you included)'),
});
export type WaitlistJoined = z.infer<typeof waitlistPlaceSchema>;

/** GET /api/orders/waitlist/:ticketId: the line's length, and the caller's latest entry when signed in. */
export const waitlistLineSchema = z.object({
  ticketId: z.string(),
  length: z.number().int().describe('How many wait'),
  status: waitlistStatus.optional(),
  position: z.number().int().min(1).optional().describe('While waiting'),
  orderId: z.string().optional().describe('While offered: the order placed for you'),
  reason: z.string().optional().describe('When skipped or cleared: why, for people'),
});
export type WaitlistState = z.infer<typeof waitlistLineSchema>;

/** GET /api/orders/waitlist: one of the caller's entries. */
export const waitlistEntrySchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  title: z.string().describe('The ticket title when you joined'),
  status: waitlistStatus,
  position: z.number().int().min(1).optional().describe('While waiting'),
  orderId: z.string().optional().describe('When offered'),
  reason: z.string().optional().describe('When skipped or cleared'),
  joinedAt: isoDate(),
});
export type WaitlistEntryView = z.infer<typeof waitlistEntrySchema>;
