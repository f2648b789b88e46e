import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '@ticketing/common';
import { authConfigSchema } from '../src/config';

const KEY = 'a-jwt-key-of-at-least-16-chars';

describe('auth configuration', () => {
  it('defaults: 1 h sessions, 5 sign-ins per email and address, 20 per address and 20 sign-ups per minute, no Redis', () => {
    expect(loadConfig(authConfigSchema, { JWT_KEY: KEY })).toEqual({
      JWT_KEY: KEY,
      JWT_LIFETIME_SECONDS: 3600,
      RATE_LIMIT_SIGNIN_PER_MIN: 5,
      RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: 20,
      RATE_LIMIT_SIGNUP_PER_MIN: 20,
    });
  });

  it('reads every variable; 0 turns a limit off; empty REDIS_URL means none', () => {
    const env = { JWT_KEY: KEY, JWT_LIFETIME_SECONDS: '900', RATE_LIMIT_SIGNIN_PER_MIN: '0', RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: '9', RATE_LIMIT_SIGNUP_PER_MIN: '7', REDIS_URL: 'redis://redis:6379' };
    expect(loadConfig(authConfigSchema, env)).toEqual({
      JWT_KEY: KEY,
      JWT_LIFETIME_SECONDS: 900,
      RATE_LIMIT_SIGNIN_PER_MIN: 0,
      RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: 9,
      RATE_LIMIT_SIGNUP_PER_MIN: 7,
      REDIS_URL: 'redis://redis:6379',
    });
    expect(loadConfig(authConfigSchema, { JWT_KEY: KEY, REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it.each([
    [{}, /JWT_KEY is required/],
    [{ JWT_KEY: 'short' }, /JWT_KEY/],
    [{ JWT_KEY: KEY, RATE_LIMIT_SIGNIN_PER_MIN: '-1' }, /RATE_LIMIT_SIGNIN_PER_MIN/],
    [{ JWT_KEY: KEY, RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: '1.5' }, /RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN/],
    [{ JWT_KEY: KEY, RATE_LIMIT_SIGNUP_PER_MIN: 'many' }, /RATE_LIMIT_SIGNUP_PER_MIN/],
    [{ JWT_KEY: KEY, JWT_LIFETIME_SECONDS: '5' }, /JWT_LIFETIME_SECONDS/],
    [{ JWT_KEY: KEY, REDIS_URL: 'http://redis' }, /REDIS_URL/],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(authConfigSchema, env)).toThrow(ConfigError);
    expect(() => loadConfig(authConfigSchema, env)).toThrow(message);
  });

  it('the service refuses to start without JWT_KEY: exit code ≠ 0, one line naming JWT_KEY', () => {
    const root = path.resolve(__dirname, '../..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'auth/src/index.ts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      // Minimal environment: everything else the service needs is present, JWT_KEY is not.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1' },
    });
    expect(result.status).not.toBe(0);
    expect(result.status).not.toBeNull();
    const stderr = result.stderr.trim();
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/JWT_KEY/);
    expect(stderr).toMatch(/^auth: Invalid configuration/);
  });
});
