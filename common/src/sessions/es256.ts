import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';

/**
 * Compact JWS with ES256 (ECDSA on P-256), the one signed-token format of the system: auth's
 * session tokens and the tickets service's e-ticket codes. Each token names its key in the
 * `kid` header; a verifier holds public keys only. Signing is in `@ticketing/common/signing`,
 * imported only by the services that hold a private key (auth: sessions; tickets: codes).
 */
export const ES256 = 'ES256';
const P256 = 'prime256v1';

/** A private key that signs (held by one service) and the id its tokens carry. */
export interface Es256SigningKey {
  kid: string;
  privateKey: KeyObject;
}

/** Key id → public key. */
export type Es256PublicKeys = ReadonlyMap<string, KeyObject>;

/**
 * The payload of a token signed by one of `keys`, or null. Only ES256 with a known `kid` and a
 * signature that key checks counts: `alg: none`, HS256 (including one "signed" with a public
 * key as an HMAC secret), an unknown or missing kid, a tampered or expired token are all null.
 */
export function verifyEs256(token: string, keys: Es256PublicKeys, opts: { ignoreExpiration?: boolean } = {}): Record<string, unknown> | null {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || decoded.header.alg !== ES256) return null;
  const kid = decoded.header.kid;
  const key = typeof kid === 'string' ? keys.get(kid) : undefined;
  if (!key) return null;
  try {
    // The algorithm list is fixed: the key object is public, so no HMAC can be checked with it.
    const payload = jwt.verify(token, key, { algorithms: [ES256], ignoreExpiration: opts.ignoreExpiration === true });
    return payload && typeof payload === 'object' ? payload : null;
  } catch {
    return null;
  }
}

/** Whether `key` is an EC P-256 key (private or public). */
export const isP256Key = (key: KeyObject) => key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === P256;

/** The public key of a private (or public) key. */
export const publicKeyOf = (key: KeyObject): KeyObject => (key.type === 'public' ? key : createPublicKey(key));

/** The public JWK of a key, for verifiers elsewhere (e.g. a door scanner offline). */
export function publicJwkOf(key: KeyObject): JsonWebKey {
  const { kty, crv, x, y } = publicKeyOf(key).export({ format: 'jwk' });
  return { kty, crv, x, y };
}

/** Env: a key id for a token's `kid` header. */
export const keyIdFromEnv = z.string().regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, ".", "_" or "-"');
