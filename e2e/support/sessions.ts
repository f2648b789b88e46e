import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { randomObjectId, sessionCookie, signin } from '@ticketing/common/testing';

export interface SessionVariant {
  label: string;
  /** The Cookie header to send ('' = none). */
  cookie: string;
}

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * Every kind of session that must count as "signed out" for a stack whose JWT key is
 * `jwtKey`: none, garbage, a tampered token, `alg: none`, another key, expired, another
 * algorithm, a payload without the user fields, and cookie values that are not a token.
 * `victim` is a real user whose identity the forgeries try to take.
 */
export function badSessions(jwtKey: string, victim: { id: string; email: string }): SessionVariant[] {
  const now = Math.floor(Date.now() / 1000);
  const claims = { id: victim.id, email: victim.email, iat: now, exp: now + 3600 };
  const valid = jwt.sign(claims, jwtKey, { algorithm: 'HS256' });
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
    { label: 'alg: none', cookie: sessionCookie(`${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`) },
    { label: 'alg: None (capitalised)', cookie: sessionCookie(`${b64url({ alg: 'None', typ: 'JWT' })}.${b64url(claims)}.`) },
    { label: 'alg: HS512 with the right key', cookie: sessionCookie(jwt.sign(claims, jwtKey, { algorithm: 'HS512' })) },
    { label: 'wrong key', cookie: signin(victim, { key: `wrong-${randomBytes(12).toString('hex')}` })[0] },
    { label: 'expired', cookie: signin(victim, { key: jwtKey, expiresInSeconds: -60 })[0] },
    { label: 'not yet valid (nbf in the future)', cookie: sessionCookie(jwt.sign({ ...claims, nbf: now + 3600 }, jwtKey, { algorithm: 'HS256' })) },
    { label: 'signed payload without email', cookie: sessionCookie(jwt.sign({ id: victim.id }, jwtKey, { algorithm: 'HS256', expiresIn: 3600 })) },
    {
      label: 'signed payload with an operator as id',
      cookie: sessionCookie(jwt.sign({ id: { $gt: '' }, email: victim.email }, jwtKey, { algorithm: 'HS256', expiresIn: 3600 })),
    },
    { label: 'oversized garbage cookie (6 kB)', cookie: `session=${'A'.repeat(6 * 1024)}` },
  ];
}
