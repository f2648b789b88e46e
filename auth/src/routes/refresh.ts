import { defineRoute, mountRoute, NotAuthorizedError, verifySessionToken, type Logger } from '@ticketing/common';
import { currentUserAnswerSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { clearRefreshCookie, readRefreshCookie, REFRESH_PATH, setRefreshCookie } from '../domain/refresh-cookie';
import { rotate } from '../domain/refresh-tokens';
import { setSessionCookie, type SessionSettings } from '../domain/session';
import { currentUserView } from './current-user';
import { sessionCookieHeaders } from './session-cookie-header';

export const refreshRoute = defineRoute({
  method: 'post',
  path: REFRESH_PATH,
  summary: 'Renew the session with the refresh cookie',
  description:
    'Exchanges the `refresh` cookie for a new one and a new session token (same user, same sign-in). The browser sends the cookie to this path only. Missing, unknown, ended or revoked tokens get 401; a token that was already used gets 401 **and revokes the whole sign-in** (someone else holds its tokens). A 401 clears both cookies.',
  access: 'public',
  security: [{ refreshCookie: [] }],
  responses: {
    200: { description: 'Renewed', headers: sessionCookieHeaders, body: currentUserAnswerSchema },
    401: { description: 'No valid refresh token: sign in again' },
  },
});

/**
 * Renews a session: the refresh cookie (sent by the browser to this path only) is exchanged
 * for a new one and a new session token. 401 and both cookies cleared when it is missing,
 * unknown, expired, revoked, or already used (which also revokes its whole sign-in).
 */
export function refreshRouter(deps: { session: SessionSettings; logger: Logger }): Router {
  return mountRoute(Router(), refreshRoute, async (req, res) => {
    const token = readRefreshCookie(req);
    const result = token ? await rotate(token) : ({ ok: false, reason: 'missing' } as const);
    if (!result.ok) {
      if (result.reason === 'reused') deps.logger.warn({ requestId: req.id }, 'refresh token reused: sign-in revoked');
      req.session = null;
      clearRefreshCookie(req, res, deps.session.secureCookies);
      throw new NotAuthorizedError();
    }
    setSessionCookie(req, result.owner, result.sid, result.expiresAt, deps.session);
    setRefreshCookie(req, res, result.token, result.expiresAt, deps.session.secureCookies);
    const jwt = (req.session as { jwt: string }).jwt;
    res.status(200).send({ currentUser: currentUserView(verifySessionToken(jwt, deps.session.publicKeys)) });
  });
}
