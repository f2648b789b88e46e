import { signSessionToken } from '@ticketing/common';
// Types of req.session / req.sessionOptions (cookie-session runs inside createServiceApp).
import type {} from 'cookie-session';
import type { Request } from 'express';

export interface SessionSettings {
  jwtKey: string;
  /** JWT exp − iat, and the cookie's Max-Age, so browser and token expire together. */
  lifetimeSeconds: number;
}

/** Puts a fresh session token for `user` in the `session` cookie. */
export function startSession(req: Request, user: { id: string; email: string }, settings: SessionSettings): void {
  req.session = { jwt: signSessionToken(user, settings.jwtKey, settings.lifetimeSeconds) };
  req.sessionOptions.maxAge = settings.lifetimeSeconds * 1000;
}

/** Clears the `session` cookie (cookie-session answers with an expired one). */
export function endSession(req: Request): void {
  req.session = null;
}
