// Shapes of the Ticketing HTTP API (DESIGN.md §5) and its error format, shared by the
// server-side and browser-side helpers.

// The answers' shapes are the services' own (zod schemas in @ticketing/common/api, from which the
// OpenAPI documents are made): imported as types only, nothing of them reaches the bundle.
import type { OrderCancelReasonName, OrderStatusName } from '@ticketing/common/api';

export type {
  CheckinAnswer,
  CurrentUser,
  Order,
  OrderPayment,
  OrderPaymentStatus,
  PaymentAnswer,
  PaymentIntentAnswer,
  Ticket,
  TicketCode,
  TicketListing,
  TicketSale,
  TicketStatus,
  WaitlistJoined,
  WaitlistState,
  WaitlistStatus,
} from '@ticketing/common/api';
export type OrderStatus = OrderStatusName;
export type OrderCancelReason = OrderCancelReasonName;

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
    const items = (errors as unknown[])
      .filter((e): e is ApiErrorItem => typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string')
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
