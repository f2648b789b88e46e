import { CustomError, type ErrorItem } from './custom-error';

/** A request that breaks its contract: one entry per field at fault (its first problem). */
export class RequestValidationError extends CustomError {
  readonly statusCode = 400;

  constructor(readonly errors: ErrorItem[]) {
    super('Invalid request parameters');
  }

  serializeErrors(): ErrorItem[] {
    return this.errors;
  }
}
