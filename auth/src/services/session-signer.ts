import { SESSION_TOKEN_ALGORITHM } from '@ticketing/common';
import jwt from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';

/**
 * Auth's signing key (SESSION_SIGNING_KEY, SESSION_SIGNING_KEY_ID). Signing lives here and
 * nowhere in common: no other service's code can mint a session.
 */
export interface SessionSigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** A session token (ES256, `kid` in the header) for `user` in sign-in `sid`, valid `lifetimeSeconds`. */
export function signSessionToken(user: { id: string; email: string }, sid: string, key: SessionSigningKey, lifetimeSeconds: number): string {
  return jwt.sign({ id: user.id, email: user.email, sid }, key.privateKey, {
    algorithm: SESSION_TOKEN_ALGORITHM,
    keyid: key.kid,
    expiresIn: lifetimeSeconds,
  });
}
