import type { RequestHandler } from 'express';
import { NotAuthorizedError } from '../errors';

export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.currentUser) throw new NotAuthorizedError();
  next();
};
