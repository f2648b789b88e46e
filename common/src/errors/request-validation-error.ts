import type { ValidationError } from 'express-validator';
import { CustomError, type ErrorItem } from './custom-error';

/** express-validator failures, one contract entry per field. */
export class RequestValidationError extends CustomError {
  readonly statusCode = 400;

  constructor(readonly errors: ValidationError[]) {
    super('Invalid request parameters');
  }

  serializeErrors(): ErrorItem[] {
    return this.errors.map((err) =>
      err.type === 'field' ? { message: String(err.msg), field: err.path } : { message: String(err.msg) },
    );
  }
}
