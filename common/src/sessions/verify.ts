import jwt from 'jsonwebtoken';
import type { UserPayload } from '../middlewares/types';
import { SESSION_TOKEN_ALGORITHM, type SessionPublicKeys } from './public-keys';

/**
 * The user a session token names, or null. Only an unexpired ES256 token whose `kid` is one
 * of `keys` and whose signature that key checks counts: `alg: none`, HS256 (including one
 * "signed" with a public key as an HMAC secret), an unknown or missing kid, a tampered or
 * expired token are all null. `ignoreExpiration` is for sign-out only, which may revoke what
 * an expired (but genuine) token names.
 */
export function verifySessionToken(token: string, keys: SessionPublicKeys, opts: { ignoreExpiration?: boolean } = {}): UserPayload | null {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || decoded.header.alg !== SESSION_TOKEN_ALGORITHM) return null;
  const kid = decoded.header.kid;
  const key = typeof kid === 'string' ? keys.get(kid) : undefined;
  if (!key) return null;
  try {
    // The algorithm list is fixed: the key object is public, so no HMAC can be checked with it.
    const payload = jwt.verify(token, key, { algorithms: [SESSION_TOKEN_ALGORITHM], ignoreExpiration: opts.ignoreExpiration === true });
    return isUserPayload(payload) ? payload : null;
  } catch {
    return null;
  }
}

function isUserPayload(p: unknown): p is UserPayload {
  const u = p as Partial<UserPayload> | null;
  return !!u && typeof u === 'object' && typeof u.id === 'string' && typeof u.email === 'string' && (u.sid === undefined || typeof u.sid === 'string');
}
