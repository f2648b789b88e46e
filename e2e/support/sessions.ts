import { createHmac, randomBytes } from 'node:crypto';
import { generateSessionKeyPair, randomObjectId, sessionCookie, signin, signTestSessionToken, type SessionKeyPair } from '@ticketing/dev-servers';

export interface SessionVariant {
  label: string;
  /** The Cookie header to send ('' = none). */
  cookie: string;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** An HS256 token whose HMAC secret is `secret` (the public key, in the algorithm-confusion attack). */
function hs256(header: object, claims: object, secret: string): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/**
 * Every kind of session that must count as "signed out" for a stack whose session key pair is
 * `keys` (its private half signs the "right key" variants): none, garbage, a tampered token,
 * `alg: none`, HS256 with the public key, another key, an unknown or missing key id, expired,
 * a payload without the user fields, and cookie values that are not a token. `victim` is a
 * real user whose identity the forgeries try to take.
 */
export function badSessions(keys: SessionKeyPair, victim: { id: string; email: string }): SessionVariant[] {
  const now = Math.floor(Date.now() / 1000);
  const claims = { id: victim.id, email: victim.email, iat: now, exp: now + 3600 };
  const sign = (c: object, opts: { kid?: string } = {}) => signTestSessionToken(c, { pair: keys, ...opts });
  const valid = sign(claims);
  const [header, , signature] = valid.split('.');
  const attacker = { ...claims, id: randomObjectId() };
  return [
    { label: 'no cookie', cookie: '' },
    { label: 'empty session cookie', cookie: 'session=' },
    { label: 'garbage', cookie: `session=${randomBytes(24).toString('hex')}` },
    { label: 'base64 of non-JSON', cookie: `session=${b64('not json at all')}` },
    { label: 'jwt is a number', cookie: `session=${b64(JSON.stringify({ jwt: 12345 }))}` },
    { label: 'jwt is an operator object', cookie: `session=${b64(JSON.stringify({ jwt: { $gt: '' } }))}` },
    { label: 'jwt is garbage', cookie: sessionCookie('not.a.jwt') },
    { label: 'tampered payload (id changed, signature kept)', cookie: sessionCookie(`${header}.${b64url(attacker)}.${signature}`) },
    { label: 'tampered signature', cookie: sessionCookie(`${valid.slice(0, -4)}AAAA`) },
    { label: 'alg: none', cookie: sessionCookie(`${b64url({ alg: 'none', typ: 'JWT', kid: keys.kid })}.${b64url(claims)}.`) },
    { label: 'alg: None (capitalised)', cookie: sessionCookie(`${b64url({ alg: 'None', typ: 'JWT', kid: keys.kid })}.${b64url(claims)}.`) },
    { label: 'alg: HS256 keyed with the public key', cookie: sessionCookie(hs256({ alg: 'HS256', typ: 'JWT', kid: keys.kid }, claims, keys.publicKeyPem)) },
    { label: 'alg: ES256 header, HMAC with the public key', cookie: sessionCookie(hs256({ alg: 'ES256', typ: 'JWT', kid: keys.kid }, claims, keys.publicKeyPem)) },
    { label: 'wrong key under an unknown kid', cookie: signin(victim, { pair: generateSessionKeyPair() })[0] },
    { label: 'wrong key under the right kid', cookie: signin(victim, { pair: { ...generateSessionKeyPair(), kid: keys.kid } })[0] },
    { label: 'right key, unknown kid', cookie: sessionCookie(sign(claims, { kid: `unknown-${randomBytes(4).toString('hex')}` })) },
    { label: 'right key, no kid', cookie: sessionCookie(sign(claims, { kid: '' })) },
    { label: 'expired', cookie: signin(victim, { pair: keys, expiresInSeconds: -60 })[0] },
    { label: 'not yet valid (nbf in the future)', cookie: sessionCookie(sign({ ...claims, nbf: now + 3600 })) },
    { label: 'signed payload without email', cookie: sessionCookie(sign({ id: victim.id, exp: now + 3600 })) },
    {
      label: 'signed payload with an operator as id',
      cookie: sessionCookie(sign({ id: { $gt: '' }, email: victim.email, exp: now + 3600 })),
    },
    { label: 'oversized garbage cookie (6 kB)', cookie: `session=${'A'.repeat(6 * 1024)}` },
  ];
}
