import type { RequestHandler } from 'express';
import { validationResult } from 'express-validator';
import { RequestValidationError } from '../errors';

/** Turns express-validator's findings into a 400 in the error contract. */
export const validateRequest: RequestHandler = (req, _res, next) => {
  const errors = validationResult(req);
  if (!errors.isEmpty()) throw new RequestValidationError(errors.array({ onlyFirstError: true }));
  next();
};
