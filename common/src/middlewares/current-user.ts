import type { RequestHandler } from 'express';
import type { SessionPublicKeys } from '../sessions/public-keys';
import { cachedSessionVerifier } from '../sessions/verified-cache';

/**
 * Reads the session token from the `session` cookie (see verifySessionToken for what counts).
 * Anything else — tampered, expired, `alg: none`, HS256, an unknown key id, garbage — is
 * treated as signed out, never an error. Services only verify: signing is auth's alone.
 */
export function currentUser(keys: SessionPublicKeys): RequestHandler {
  const verifySessionToken = cachedSessionVerifier(keys);
  return (req, _res, next) => {
    const token = (req.session as { jwt?: unknown } | null | undefined)?.jwt;
    if (typeof token === 'string') {
      const payload = verifySessionToken(token);
      if (payload) req.currentUser = payload;
    }
    next();
  };
}
