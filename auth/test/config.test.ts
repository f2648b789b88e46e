import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '@ticketing/common';
import { generateSessionKeyPair, sessionPublicKeysJson, testSessionEnv, testSessionKey } from '@ticketing/dev-servers';
import { authConfigSchema } from '../src/config';

const KEYS = testSessionEnv({ signing: true });

describe('auth configuration', () => {
  it('defaults: 15 min sessions renewable for 7 days, 5 sign-ins per email and address, 20 per address and 20 sign-ups per minute, no Redis', () => {
    const config = loadConfig(authConfigSchema, KEYS);
    expect(config).toMatchObject({
      SESSION_SIGNING_KEY_ID: testSessionKey().kid,
      SESSION_LIFETIME_SECONDS: 900,
      REFRESH_LIFETIME_SECONDS: 7 * 24 * 3600,
      RATE_LIMIT_SIGNIN_PER_MIN: 5,
      RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: 20,
      RATE_LIMIT_SIGNUP_PER_MIN: 20,
    });
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.SESSION_SIGNING_KEY.type).toBe('private');
    expect([...config.SESSION_PUBLIC_KEYS.keys()]).toEqual([testSessionKey().kid]);
  });

  it('reads every variable; 0 turns a limit off; empty REDIS_URL means none', () => {
    const env = { ...KEYS, SESSION_LIFETIME_SECONDS: '300', REFRESH_LIFETIME_SECONDS: '86400', RATE_LIMIT_SIGNIN_PER_MIN: '0', RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: '9', RATE_LIMIT_SIGNUP_PER_MIN: '7', REDIS_URL: 'redis://redis:6379' };
    expect(loadConfig(authConfigSchema, env)).toMatchObject({
      SESSION_LIFETIME_SECONDS: 300,
      REFRESH_LIFETIME_SECONDS: 86400,
      RATE_LIMIT_SIGNIN_PER_MIN: 0,
      RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: 9,
      RATE_LIMIT_SIGNUP_PER_MIN: 7,
      REDIS_URL: 'redis://redis:6379',
    });
    expect(loadConfig(authConfigSchema, { ...KEYS, REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('during a rotation: signs with the new key while both public keys are published', () => {
    const oldKey = generateSessionKeyPair('old');
    const newKey = generateSessionKeyPair('new');
    const config = loadConfig(authConfigSchema, { SESSION_PUBLIC_KEYS: sessionPublicKeysJson(oldKey, newKey), SESSION_SIGNING_KEY: newKey.privateKeyPem, SESSION_SIGNING_KEY_ID: 'new' });
    expect([...config.SESSION_PUBLIC_KEYS.keys()]).toEqual(['old', 'new']);
  });

  const other = generateSessionKeyPair();
  it.each([
    ['nothing', {}, /SESSION_PUBLIC_KEYS is required.*SESSION_SIGNING_KEY is required.*SESSION_SIGNING_KEY_ID is required/],
    ['no signing key', { SESSION_PUBLIC_KEYS: KEYS.SESSION_PUBLIC_KEYS, SESSION_SIGNING_KEY_ID: KEYS.SESSION_SIGNING_KEY_ID }, /SESSION_SIGNING_KEY is required/],
    ['a public key as signing key', { ...KEYS, SESSION_SIGNING_KEY: testSessionKey().publicKeyPem }, /SESSION_SIGNING_KEY must be an EC P-256 private key/],
    ['a signing key whose public half is not published', { ...KEYS, SESSION_SIGNING_KEY: other.privateKeyPem }, /SESSION_PUBLIC_KEYS must hold the public key of SESSION_SIGNING_KEY/],
    ['a key id that is not published', { ...KEYS, SESSION_SIGNING_KEY_ID: 'elsewhere' }, /SESSION_PUBLIC_KEYS must hold/],
    ['a bad key id', { ...KEYS, SESSION_SIGNING_KEY_ID: 'a b' }, /SESSION_SIGNING_KEY_ID/],
    ['a 0 s session', { ...KEYS, SESSION_LIFETIME_SECONDS: '0' }, /SESSION_LIFETIME_SECONDS/],
    ['a 5 s refresh family', { ...KEYS, REFRESH_LIFETIME_SECONDS: '5' }, /REFRESH_LIFETIME_SECONDS/],
    ['a negative limit', { ...KEYS, RATE_LIMIT_SIGNIN_PER_MIN: '-1' }, /RATE_LIMIT_SIGNIN_PER_MIN/],
    ['a fractional limit', { ...KEYS, RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: '1.5' }, /RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN/],
    ['a word as limit', { ...KEYS, RATE_LIMIT_SIGNUP_PER_MIN: 'many' }, /RATE_LIMIT_SIGNUP_PER_MIN/],
    ['an http Redis', { ...KEYS, REDIS_URL: 'http://redis' }, /REDIS_URL/],
  ])('refuses %s', (_label, env, message) => {
    expect(() => loadConfig(authConfigSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(authConfigSchema, env)).toThrow(message);
  });

  it('never repeats a key in an error message', () => {
    try {
      loadConfig(authConfigSchema, { ...KEYS, SESSION_SIGNING_KEY: other.privateKeyPem });
      throw new Error('accepted');
    } catch (err) {
      expect((err as Error).message).not.toMatch(/BEGIN|PRIVATE|PUBLIC KEY-----/);
    }
  });

  it('the service refuses to start when its signing key is not the published one: exit 1, one line', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'auth/src/index.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 30_000,
      // Complete but inconsistent: the signing key's public half is not in SESSION_PUBLIC_KEYS.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        HOST: '127.0.0.1',
        NATS_URL: 'nats://127.0.0.1:1',
        MONGO_URL: 'mongodb://127.0.0.1:1',
        ...KEYS,
        SESSION_SIGNING_KEY: other.privateKeyPem,
      },
    });
    expect(result.status).toBe(1);
    const stderr = result.stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^auth: Invalid configuration: SESSION_PUBLIC_KEYS must hold the public key of SESSION_SIGNING_KEY/);
  });

  it('the service refuses to start without its signing key: exit code ≠ 0, one line naming SESSION_SIGNING_KEY', () => {
    const root = path.resolve(__dirname, '../..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'auth/src/index.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      // Minimal environment: everything else the service needs is present, the signing key is not.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1', SESSION_PUBLIC_KEYS: KEYS.SESSION_PUBLIC_KEYS, SESSION_SIGNING_KEY_ID: KEYS.SESSION_SIGNING_KEY_ID },
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    const stderr = result.stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/SESSION_SIGNING_KEY is required/);
    expect(stderr).toMatch(/^auth: Invalid configuration/);
  });
});
