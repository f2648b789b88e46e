import { createPrivateKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ES256, isP256Key, type Es256SigningKey } from '../sessions/es256';

/**
 * Signing with an ES256 private key: a subpath of its own (`@ticketing/common/signing`), never
 * exported by the package's main entry, so that only a service that imports it on purpose
 * (auth for sessions, tickets for e-ticket codes) has any signing code; infra/tests checks that
 * from each service's imports. A session is accepted only under a key in SESSION_PUBLIC_KEYS,
 * which is auth's alone.
 */

/** Signs `claims` (an `iat` is added) as a compact ES256 JWS with `kid` in its header. */
export function signEs256(claims: object, key: Es256SigningKey, opts: { expiresInSeconds?: number } = {}): string {
  return jwt.sign(claims, key.privateKey, {
    algorithm: ES256,
    keyid: key.kid,
    ...(opts.expiresInSeconds !== undefined && { expiresIn: opts.expiresInSeconds }),
  });
}

/** Env: a P-256 private key PEM (PKCS#8 or SEC1), kept as a KeyObject; the error never repeats the value. */
export const es256PrivateKeyFromEnv = z.string().transform((pem, ctx): KeyObject => {
  try {
    const key = createPrivateKey(pem);
    if (isP256Key(key)) return key;
  } catch {
    // fall through: the message below never repeats the value
  }
  ctx.issues.push({ code: 'custom', message: 'must be an EC P-256 private key PEM (ES256)', input: '(hidden)' });
  return z.NEVER;
});

