import { NotAuthorizedError, verifySessionToken, type Logger } from '@ticketing/common';
import { Router, type Request, type Response } from 'express';
import { clearRefreshCookie, readRefreshCookie, REFRESH_PATH, setRefreshCookie } from '../domain/refresh-cookie';
import { rotate } from '../domain/refresh-tokens';
import { setSessionCookie, type SessionSettings } from '../domain/session';
import { currentUserView } from './current-user';

/**
 * Renews a session: the refresh cookie (sent by the browser to this path only) is exchanged
 * for a new one and a new session token. 401 and both cookies cleared when it is missing,
 * unknown, expired, revoked, or already used (which also revokes its whole sign-in).
 */
export function refreshRouter(deps: { session: SessionSettings; logger: Logger }): Router {
  const router = Router();
  router.post(REFRESH_PATH, async (req: Request, res: Response) => {
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
  return router;
}
