import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { parseSessionPublicKeys, SESSION_TOKEN_ALGORITHM, type SessionPublicKeys } from '@ticketing/common';

/**
 * A session signing key for tests: what auth holds in production (SESSION_SIGNING_KEY and
 * SESSION_SIGNING_KEY_ID). Tests generate throw-away ones; none is ever committed.
 */
export interface SessionKeyPair {
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh P-256 key pair (ES256), with a random key id unless given. */
export function generateSessionKeyPair(kid = `test-${randomBytes(4).toString('hex')}`): SessionKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    kid,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

let processKey: SessionKeyPair | undefined;
/** This test process's session key pair (generated once per process). */
export function testSessionKey(): SessionKeyPair {
  processKey ??= generateSessionKeyPair();
  return processKey;
}

/** `SESSION_PUBLIC_KEYS` text for these key pairs (default: the test process's key). */
export function sessionPublicKeysJson(...pairs: SessionKeyPair[]): string {
  const list = pairs.length > 0 ? pairs : [testSessionKey()];
  return JSON.stringify(Object.fromEntries(list.map((p) => [p.kid, p.publicKeyPem])));
}

/** The verifying keys a service app gets in tests (default: the test process's key). */
export function testSessionKeys(...pairs: SessionKeyPair[]): SessionPublicKeys {
  return parseSessionPublicKeys(sessionPublicKeysJson(...pairs));
}

/** The environment of a test service process: public keys only, or (auth) the signing key too. */
export function testSessionEnv(opts: { signing?: boolean; pair?: SessionKeyPair } = {}): Record<string, string> {
  const pair = opts.pair ?? testSessionKey();
  return {
    SESSION_PUBLIC_KEYS: sessionPublicKeysJson(pair),
    ...(opts.signing && { SESSION_SIGNING_KEY: pair.privateKeyPem, SESSION_SIGNING_KEY_ID: pair.kid }),
  };
}

export function randomObjectId(): string {
  return randomBytes(12).toString('hex');
}

/** The `session` cookie value cookie-session would set for a JWT. */
export function sessionCookie(token: string): string {
  return `session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`;
}

/**
 * A session token as auth would sign it (ES256, `kid` header) for any claims. `key` may be a
 * private KeyObject to test keys that are not the expected ones (another curve, another pair).
 */
export function signTestSessionToken(claims: object, opts: { pair?: SessionKeyPair; kid?: string; key?: KeyObject } = {}): string {
  const pair = opts.pair ?? testSessionKey();
  const key = opts.key ?? createPrivateKey(pair.privateKeyPem);
  return jwt.sign(claims, key, { algorithm: SESSION_TOKEN_ALGORITHM, keyid: opts.kid ?? pair.kid });
}

/**
 * A valid session cookie for a (new, random) user, for supertest's `.set('Cookie', …)`.
 * `expiresInSeconds` may be negative to get an expired token; `pair` signs with another key
 * (e.g. the local stack's, or one the service does not know).
 */
export function signin(user: { id?: string; email?: string } = {}, opts: { expiresInSeconds?: number; pair?: SessionKeyPair } = {}): string[] {
  const id = user.id ?? randomObjectId();
  const email = user.email ?? `${id}@test.example`;
  const now = Math.floor(Date.now() / 1000);
  return [sessionCookie(signTestSessionToken({ id, email, iat: now, exp: now + (opts.expiresInSeconds ?? 3600) }, { pair: opts.pair }))];
}

/** The public key PEM of a private key PEM (what auth publishes for its signing key). */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}
