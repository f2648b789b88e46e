import { Writable } from 'node:stream';
import { createPrivateKey } from 'node:crypto';
import { testSessionKey, testSessionKeys } from '@ticketing/dev-servers';
import pino from 'pino';
import { createApp, type AuthAppDeps } from '../src/app';

/** A pino logger whose JSON lines land in `lines`, to check what the service logs. */
export function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        cb();
      },
    }),
  );
  return { logger, lines };
}

/** Auth's signing key in tests: this process's throw-away key pair. */
export function testSigningKey() {
  const pair = testSessionKey();
  return { kid: pair.kid, privateKey: createPrivateKey(pair.privateKeyPem) };
}

/** An auth app for tests; rate limits off unless given. */
export function buildApp(overrides: Partial<AuthAppDeps> = {}) {
  const { logger, lines } = capturingLogger();
  const app = createApp({
    logger,
    signingKey: testSigningKey(),
    sessionKeys: testSessionKeys(),
    logRequests: false,
    rateLimits: { signinPerMinute: 0, signinPerAddressPerMinute: 0, signupPerMinute: 0 },
    ...overrides,
  });
  return { app, lines };
}

let counter = 0;
/** Distinct valid credentials. */
export function credentials() {
  counter += 1;
  return { email: `user${counter}.${process.pid}@test.example`, password: `correct horse ${counter}` };
}

/** The JWT inside a `session` cookie from a Set-Cookie header. */
export function jwtFromSetCookie(setCookie: string[] | string | undefined): string {
  const header = ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('session='));
  if (!header) throw new Error('no session cookie set');
  const value = header.slice('session='.length).split(';')[0];
  return (JSON.parse(Buffer.from(value, 'base64').toString()) as { jwt: string }).jwt;
}

/** The `session=…` pair of a Set-Cookie header, to send back as a Cookie. */
export function sessionPair(setCookie: string[] | string | undefined): string[] {
  return ([] as string[]).concat(setCookie ?? []).filter((c) => c.startsWith('session=')).map((c) => c.split(';')[0]);
}

/** The `refresh=…` pair of a Set-Cookie header (undefined when none was set). */
export function refreshPair(setCookie: string[] | string | undefined): string | undefined {
  return ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith('refresh='))?.split(';')[0];
}
