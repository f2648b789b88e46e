/** One entry of the error contract: `{"errors":[{"message","field?"}]}`. */
export interface ErrorItem {
  message: string;
  field?: string;
}

/**
 * Base of every error that maps to an HTTP answer. Anything thrown that is not a
 * CustomError is a bug and becomes a 500 with a request id (see errorHandler).
 */
export abstract class CustomError extends Error {
  abstract readonly statusCode: number;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }

  abstract serializeErrors(): ErrorItem[];

  /** Extra response headers (e.g. Retry-After). */
  headers(): Record<string, string> {
    return {};
  }
}

/** A CustomError answered with a single message and a fixed status. */
abstract class SimpleError extends CustomError {
  constructor(message: string, readonly field?: string) {
    super(message);
  }

  serializeErrors(): ErrorItem[] {
    return [this.field ? { message: this.message, field: this.field } : { message: this.message }];
  }
}

export class BadRequestError extends SimpleError {
  readonly statusCode = 400;
}

export class NotAuthorizedError extends SimpleError {
  readonly statusCode = 401;
  constructor(message = 'Not authorized') {
    super(message);
  }
}

export class PaymentRequiredError extends SimpleError {
  readonly statusCode = 402;
}

export class ForbiddenError extends SimpleError {
  readonly statusCode = 403;
  constructor(message = 'Forbidden') {
    super(message);
  }
}

export class NotFoundError extends SimpleError {
  readonly statusCode = 404;
  constructor(message = 'Not found') {
    super(message);
  }
}

/** A write lost an optimistic-concurrency race; the client may retry. */
export class ConflictError extends SimpleError {
  readonly statusCode = 409;
}

export class TooManyRequestsError extends SimpleError {
  readonly statusCode = 429;
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many requests, try again later',
  ) {
    super(message);
  }

  override headers(): Record<string, string> {
    return { 'Retry-After': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) };
  }
}

export class ServiceUnavailableError extends SimpleError {
  readonly statusCode = 503;
  /** With `retryAfterSeconds`, the answer says when to try again (Retry-After). */
  constructor(message: string, readonly retryAfterSeconds?: number) {
    super(message);
  }

  override headers(): Record<string, string> {
    return this.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.max(1, Math.ceil(this.retryAfterSeconds))) };
  }
}
