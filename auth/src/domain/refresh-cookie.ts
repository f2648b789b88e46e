import type { Request, Response } from 'express';

/** The refresh token's cookie: sent by the browser only to the refresh route. */
export const REFRESH_COOKIE = 'refresh';
export const REFRESH_PATH = '/api/users/refresh';

/** The refresh cookie's value, if the request carries one. */
export function readRefreshCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * HttpOnly, SameSite=Strict (no other site can make the browser send it), Secure in
 * production. Like the session cookie (cookie-session), a Secure cookie is never sent over
 * plain HTTP: the token would cross the network in clear text.
 */
export function setRefreshCookie(req: Request, res: Response, token: string, expiresAt: Date, secure: boolean): void {
  if (secure && !req.secure) return;
  res.cookie(REFRESH_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: REFRESH_PATH, expires: expiresAt });
}

export function clearRefreshCookie(req: Request, res: Response, secure: boolean): void {
  if (secure && !req.secure) return;
  res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: REFRESH_PATH });
}
