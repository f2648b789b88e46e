import { Writable } from 'node:stream';
import { createPrivateKey } from 'node:crypto';
import { testSessionKey, type ServiceAppOverrides, type ServiceTestEnv, type ServiceTestEnvOptions } from '@ticketing/dev-servers';
import pino from 'pino';
import type { AuthResources } from '../src/service';

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

/** useServiceTestEnv(authService, …) options: the file's database (false: none); rate limits off unless a test sets them. */
export function authTestOptions(database: string | false): ServiceTestEnvOptions<AuthResources> {
  return { database, env: rateLimitEnv({ signinPerMinute: 0, signinPerAddressPerMinute: 0, signupPerMinute: 0 }) };
}

/** The RATE_LIMIT_* variables for the given limits. */
export function rateLimitEnv(l: { signinPerMinute?: number; signinPerAddressPerMinute?: number; signupPerMinute?: number }): Record<string, string> {
  const entries: [string, number | undefined][] = [
    ['RATE_LIMIT_SIGNIN_PER_MIN', l.signinPerMinute],
    ['RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN', l.signinPerAddressPerMinute],
    ['RATE_LIMIT_SIGNUP_PER_MIN', l.signupPerMinute],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)]));
}

/** The auth app of `env` with a logger whose lines land in `lines`. */
export function buildApp(env: Pick<ServiceTestEnv<unknown, AuthResources>, 'app'>, overrides: ServiceAppOverrides<AuthResources> = {}) {
  const { logger, lines } = capturingLogger();
  return { app: env.app({ logger, ...overrides }), lines };
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
