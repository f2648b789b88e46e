import { isObjectId, NotFoundError } from '@ticketing/common';
import type { RequestHandler } from 'express';

/** A malformed id names no ticket: 404, never a cast error (and `docs` is never an id). */
export const requireTicketId: RequestHandler = (req, _res, next) => {
  if (!isObjectId(req.params.id)) throw new NotFoundError('Ticket not found');
  next();
};
