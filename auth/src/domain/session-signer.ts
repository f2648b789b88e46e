import type { Es256SigningKey } from '@ticketing/common';
import { signEs256 } from '@ticketing/common/signing';

/**
 * Auth's signing key (SESSION_SIGNING_KEY, SESSION_SIGNING_KEY_ID). Only auth is configured
 * with it: no other service can mint a session (common signs with whatever key it is given).
 */
export type SessionSigningKey = Es256SigningKey;

/** A session token (ES256, `kid` in the header) for `user` in sign-in `sid`, valid `lifetimeSeconds`. */
export function signSessionToken(user: { id: string; email: string }, sid: string, key: SessionSigningKey, lifetimeSeconds: number): string {
  return signEs256({ id: user.id, email: user.email, sid }, key, { expiresInSeconds: lifetimeSeconds });
}
