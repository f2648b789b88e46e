// Shapes of the Ticketing HTTP API (DESIGN.md §5) and its error format, shared by the
// server-side and browser-side helpers.

export interface CurrentUser {
  id: string;
  email: string;
  /** When the session token was issued and when it expires (seconds since the epoch). */
  iat?: number;
  exp?: number;
}

export interface Ticket {
  id: string;
  title: string;
  price: number;
  userId: string;
  version: number;
  /** Set while an order reserves the ticket. */
  orderId?: string | null;
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
