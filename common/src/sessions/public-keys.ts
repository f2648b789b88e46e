import { createPublicKey, type KeyObject } from 'node:crypto';
import { ES256, isP256Key } from './es256';

/**
 * Session tokens are ES256 (ECDSA on P-256): jsonwebtoken 9 cannot do EdDSA, and ES256 keeps
 * one JWT library for the whole system. Only auth holds the private key; every service
 * verifies with the public keys below.
 */
export const SESSION_TOKEN_ALGORITHM = ES256;

/** Key id → public key. Two entries during a rotation: the old key's tokens stay valid until they expire. */
export type SessionPublicKeys = ReadonlyMap<string, KeyObject>;

const KID = /^[\w.-]{1,64}$/;

/**
 * Reads `SESSION_PUBLIC_KEYS`: a JSON object `{"<kid>": "<PEM>", …}` or a list
 * `[{"kid": "<kid>", "pem": "<PEM>"}, …]`. Every key must be a P-256 public key; a private key
 * is refused, so that a service configuration can never end up holding one by mistake.
 * Throws an Error whose message says what is wrong (never a key).
 */
export function parseSessionPublicKeys(text: string): SessionPublicKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('must be JSON: {"<kid>": "<public key PEM>", …}');
  }
  const entries: [unknown, unknown][] = Array.isArray(parsed)
    ? parsed.map((e: { kid?: unknown; pem?: unknown } | null) => [e?.kid, e?.pem])
    : parsed && typeof parsed === 'object'
      ? Object.entries(parsed)
      : [];
  if (entries.length === 0) throw new Error('must name at least one public key');
  const keys = new Map<string, KeyObject>();
  for (const [kid, pem] of entries) {
    if (typeof kid !== 'string' || !KID.test(kid)) throw new Error('has a key id that is not 1-64 letters, digits, ".", "_" or "-"');
    if (keys.has(kid)) throw new Error(`names key id ${kid} twice`);
    keys.set(kid, sessionPublicKeyFromPem(pem, kid));
  }
  return keys;
}

function sessionPublicKeyFromPem(pem: unknown, kid: string): KeyObject {
  if (typeof pem !== 'string' || !pem.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new Error(`key ${kid} must be a PEM "PUBLIC KEY" (a private key never belongs here)`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new Error(`key ${kid} is not a readable public key PEM`);
  }
  if (!isP256Key(key)) {
    throw new Error(`key ${kid} must be an EC P-256 key (ES256)`);
  }
  return key;
}
