// Shapes of the Ticketing HTTP API (DESIGN.md §5) and its error format, shared by the
// server-side and browser-side helpers.

export interface CurrentUser {
  id: string;
  email: string;
  /** When the session token was issued and when it expires (seconds since the epoch). */
  iat?: number;
  exp?: number;
}

/**
 * available = for sale; reserved = an order holds it; sold = delivered to its holder (who may
 * list it again); delisted = withdrawn by its organizer.
 */
export type TicketStatus = 'available' | 'reserved' | 'sold' | 'delisted';

export interface Ticket {
  id: string;
  title: string;
  price: number;
  /** The seller: the organizer, or the holder who listed it again. */
  userId: string;
  version: number;
  /** Set while an order reserves the ticket (and kept once it sold). */
  orderId?: string | null;
  /** Absent from services older than the live marketplace: derive with ticketStatus(). */
  status?: TicketStatus;
  /** Who created the ticket (the event side that checks it in). */
  organizerId?: string;
  /** The price it was first listed at (the resale cap is a share above it). */
  faceValue?: number;
  /** The buyer it was delivered to, while sold. */
  holderId?: string | null;
  /** Resale cap in percent above face value, when the organizer set one. */
  resaleCapPercent?: number | null;
  /** The current holder was admitted with the current code. */
  checkedIn?: boolean;
}

/** One sale of a ticket (GET /api/tickets/listings shows the signed-in seller's own). */
export interface TicketSale {
  orderId: string;
  buyerId: string;
  price: number;
  /** ISO timestamp. */
  at: string;
}

/** A ticket on "My listings": what it is now and what the signed-in seller sold of it. */
export interface TicketListing extends Ticket {
  sales: TicketSale[];
}

/** GET /api/tickets/:id/code: the holder's e-ticket (a signed, versioned token). */
export interface TicketCode {
  ticketId: string;
  code: string;
  delivery: number;
  checkedIn: boolean;
}

/** POST /api/tickets/:id/checkin answers 200 with this when the code admits. */
export interface CheckinAnswer {
  admitted: true;
  ticketId: string;
  holderId: string;
  /** ISO timestamp. */
  checkedInAt: string;
}

export type WaitlistStatus = 'waiting' | 'offered' | 'left' | 'skipped' | 'cleared';

/** GET /api/orders/waitlist/:ticketId: the queue's length, and the caller's place when in it. */
export interface WaitlistState {
  ticketId: string;
  length: number;
  /** 1 = next in line (only while waiting). */
  position?: number;
  /** The caller's latest entry for this ticket, when signed in and ever in line. */
  status?: WaitlistStatus;
  /** The order the ticket was reserved in for the caller (offered). */
  orderId?: string;
  /** Why the caller's entry ended (skipped, cleared), e.g. "The seller withdrew this ticket". */
  reason?: string;
}

/** POST /api/orders/waitlist answers this (201 joined, 200 already waiting). */
export interface WaitlistJoined {
  ticketId: string;
  status: 'waiting';
  position: number;
  length: number;
}

export type OrderStatus = 'created' | 'cancelled' | 'awaiting:payment' | 'complete';

/** Why a cancelled order was cancelled (absent on orders cancelled before the API said). */
export type OrderCancelReason = 'buyer' | 'expired' | 'ticket-changed';

/**
 * A payment as the order shows it: authorized = the amount is held on the card, not taken;
 * captured = charged; voided = the hold was released, nothing charged; refunded = given back.
 */
export type OrderPaymentStatus = 'authorized' | 'captured' | 'voided' | 'refunded';

export interface OrderPayment {
  id: string;
  status: OrderPaymentStatus;
  /** Cents, when known. */
  amount?: number;
}

export interface Order {
  id: string;
  status: OrderStatus;
  /** ISO timestamp: the end of the reservation window. */
  expiresAt: string;
  ticket: { id: string; title: string; price: number };
  userId: string;
  version: number;
  cancelReason?: OrderCancelReason;
  /** The order's most relevant payment (null while none was authorised). */
  payment: OrderPayment | null;
}

/**
 * POST /api/payments answers 201 `{id, status: 'captured'}` (paid) or 202 with the other
 * statuses: the order is deciding (authorized), the processor is (processing), or the card needs
 * 3-D Secure in the browser (requires_action, with the intent's clientSecret).
 */
export interface PaymentAnswer {
  id: string;
  status: 'captured' | 'authorized' | 'requires_action' | 'processing';
  clientSecret?: string;
}

/** POST /api/payments/intents: an unconfirmed intent for Stripe's Payment Element. */
export interface PaymentIntentAnswer {
  id: string;
  clientSecret: string;
}

/** One entry of the API's `{"errors":[{"message","field?"}]}` body. */
export interface ApiErrorItem {
  message: string;
  field?: string;
}

/** Status 0 means the API could not be reached at all (network error, timeout). */
export const UNREACHABLE = 0;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ApiErrorItem[],
  ) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'ApiError';
  }

  get unreachable(): boolean {
    return this.status === UNREACHABLE || this.status >= 500;
  }
}

export type ApiResult<T> = { ok: true; data: T; headers: Headers } | { ok: false; error: ApiError };

export const UNREACHABLE_MESSAGE = 'The ticketing service cannot be reached right now. Please try again in a moment.';

/**
 * Turns a failed response body into error items: the API's own format when it is there,
 * otherwise (a proxy's HTML page, an empty body) a generic message with the status.
 */
export function errorItemsFrom(status: number, body: unknown): ApiErrorItem[] {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors)) {
    const items = errors
      .filter((e): e is ApiErrorItem => typeof e === 'object' && e !== null && typeof e.message === 'string')
      .map((e) => (typeof e.field === 'string' ? { message: e.message, field: e.field } : { message: e.message }));
    if (items.length > 0) return items;
  }
  if (status >= 500) return [{ message: UNREACHABLE_MESSAGE }];
  return [{ message: `Something went wrong (HTTP ${status}). Please try again.` }];
}

/** Parses a response body as JSON, tolerating empty or non-JSON bodies. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
