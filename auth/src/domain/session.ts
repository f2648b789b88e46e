import { verifySessionToken, type SessionPublicKeys } from '@ticketing/common';
// Types of req.session / req.sessionOptions (cookie-session runs inside createServiceApp).
import type {} from 'cookie-session';
import type { Request, Response } from 'express';
import { clearRefreshCookie, setRefreshCookie } from './refresh-cookie';
import { revokeFamily, startFamily, type SessionOwner } from './refresh-tokens';
import { signSessionToken, type SessionSigningKey } from './session-signer';

export interface SessionSettings {
  signingKey: SessionSigningKey;
  /** What verifies session tokens (sign-out reads the `sid` of a genuine, even expired, one). */
  publicKeys: SessionPublicKeys;
  /** The session token's exp − iat: short, renewed through the refresh route. */
  lifetimeSeconds: number;
  /** A sign-in's refresh-token family lives this long, however often it rotates. */
  refreshLifetimeSeconds: number;
  secureCookies: boolean;
}

/**
 * Puts a session token for `user` in the `session` cookie. The cookie lives as long as the
 * sign-in (the token inside expires much sooner), so that sign-out can still name the family
 * to revoke after the token has expired.
 */
export function setSessionCookie(req: Request, user: SessionOwner, sid: string, familyEnds: Date, settings: SessionSettings): void {
  req.session = { jwt: signSessionToken(user, sid, settings.signingKey, settings.lifetimeSeconds) };
  req.sessionOptions.expires = familyEnds;
}

/** A new sign-in: a refresh-token family, its first token, and a session token. */
export async function startSession(req: Request, res: Response, user: SessionOwner, settings: SessionSettings): Promise<void> {
  const family = await startFamily(user, settings.refreshLifetimeSeconds);
  setSessionCookie(req, user, family.sid, family.expiresAt, settings);
  setRefreshCookie(req, res, family.token, family.expiresAt, settings.secureCookies);
}

/** Sign-out: revokes the sign-in the session cookie names and clears both cookies. */
export async function endSession(req: Request, res: Response, settings: SessionSettings): Promise<void> {
  const token = (req.session as { jwt?: unknown } | null | undefined)?.jwt;
  const sid = typeof token === 'string' ? verifySessionToken(token, settings.publicKeys, { ignoreExpiration: true })?.sid : undefined;
  if (sid) await revokeFamily(sid);
  req.session = null;
  clearRefreshCookie(req, res, settings.secureCookies);
}
