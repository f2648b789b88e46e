import type { UserPayload } from '../middlewares/types';
import { verifyEs256 } from './es256';
import type { SessionPublicKeys } from './public-keys';

/**
 * The user a session token names, or null. Only an unexpired ES256 token whose `kid` is one
 * of `keys` and whose signature that key checks counts (see verifyEs256). `ignoreExpiration`
 * is for sign-out only, which may revoke what an expired (but genuine) token names.
 */
export function verifySessionToken(token: string, keys: SessionPublicKeys, opts: { ignoreExpiration?: boolean } = {}): UserPayload | null {
  const payload = verifyEs256(token, keys, opts);
  return isUserPayload(payload) ? payload : null;
}

function isUserPayload(p: unknown): p is UserPayload {
  const u = p as Partial<UserPayload> | null;
  return !!u && typeof u === 'object' && typeof u.id === 'string' && typeof u.email === 'string' && (u.sid === undefined || typeof u.sid === 'string');
}
