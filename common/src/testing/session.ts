import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

export const TEST_JWT_KEY = 'test-jwt-key-at-least-16-chars';

/** Sets JWT_KEY for tests that did not set one, and returns it. */
export function testJwtKey(): string {
  process.env.JWT_KEY ??= TEST_JWT_KEY;
  return process.env.JWT_KEY;
}

export function randomObjectId(): string {
  return randomBytes(12).toString('hex');
}

/** The `session` cookie value cookie-session would set for a JWT. */
export function sessionCookie(token: string): string {
  return `session=${Buffer.from(JSON.stringify({ jwt: token })).toString('base64')}`;
}

/**
 * A valid session cookie for a (new, random) user, for supertest's `.set('Cookie', …)`.
 * `expiresInSeconds` may be negative to get an expired token.
 */
export function signin(user: { id?: string; email?: string } = {}, opts: { expiresInSeconds?: number; key?: string } = {}): string[] {
  const id = user.id ?? randomObjectId();
  const email = user.email ?? `${id}@test.example`;
  const key = opts.key ?? testJwtKey();
  const now = Math.floor(Date.now() / 1000);
  const token = jwt.sign({ id, email, iat: now, exp: now + (opts.expiresInSeconds ?? 3600) }, key, { algorithm: 'HS256' });
  return [sessionCookie(token)];
}
