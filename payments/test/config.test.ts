import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { baseConfigSchema, ConfigError, loadConfig } from '@ticketing/common';
import { DEV_WEBHOOK_SECRET, paymentsConfigSchema } from '../src/config';
import { expectCountVariable, testSessionEnv } from '@ticketing/dev-servers';

const { SESSION_PUBLIC_KEYS } = testSessionEnv();
/** What runService validates: the common variables plus ours. */
const load = (env: NodeJS.ProcessEnv) => loadConfig(baseConfigSchema.extend(paymentsConfigSchema(env).shape), env);

describe('configuration', () => {
  it('outside production: no STRIPE_KEY (sandbox) and a documented default webhook secret', () => {
    const config = load({ NODE_ENV: 'development', SESSION_PUBLIC_KEYS });
    expect(config.STRIPE_KEY).toBeUndefined();
    expect(config.STRIPE_WEBHOOK_SECRET).toBe(DEV_WEBHOOK_SECRET);
    expect(load({ SESSION_PUBLIC_KEYS, STRIPE_WEBHOOK_SECRET: '' }).STRIPE_WEBHOOK_SECRET).toBe(DEV_WEBHOOK_SECRET);
  });

  it('payment attempts per user per minute: 10 by default, 0 turns the limit off, anything else not a count is refused', () => {
    expectCountVariable((env) => load({ SESSION_PUBLIC_KEYS, ...env }), 'RATE_LIMIT_PAYMENTS_PER_MIN', 10);
  });

  it('reads the Stripe API overrides', () => {
    const config = load({ SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_x', STRIPE_API_HOST: 'localhost', STRIPE_API_PORT: '12111', STRIPE_API_PROTOCOL: 'http' });
    expect(config).toMatchObject({ STRIPE_KEY: 'sk_test_1', STRIPE_API_HOST: 'localhost', STRIPE_API_PORT: 12111, STRIPE_API_PROTOCOL: 'http' });
    expect(() => load({ SESSION_PUBLIC_KEYS, STRIPE_API_PROTOCOL: 'ftp' })).toThrow(/STRIPE_API_PROTOCOL/);
    expect(() => load({ SESSION_PUBLIC_KEYS, STRIPE_API_PORT: 'abc' })).toThrow(/STRIPE_API_PORT/);
  });

  it('with a real STRIPE_KEY the public default webhook secret is never used: STRIPE_WEBHOOK_SECRET is required', () => {
    expect(() => load({ SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_test_1' })).toThrow(/STRIPE_WEBHOOK_SECRET is required/);
    expect(() => load({ SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: '' })).toThrow(/STRIPE_WEBHOOK_SECRET is required with STRIPE_KEY/);
    expect(load({ SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).STRIPE_WEBHOOK_SECRET).toBe('whsec_x');
  });

  it('in production: STRIPE_KEY and STRIPE_WEBHOOK_SECRET are required', () => {
    expect(() => load({ NODE_ENV: 'production', SESSION_PUBLIC_KEYS, STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(ConfigError);
    expect(() => load({ NODE_ENV: 'production', SESSION_PUBLIC_KEYS, STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(/STRIPE_KEY is required/);
    expect(() => load({ NODE_ENV: 'production', SESSION_PUBLIC_KEYS, STRIPE_KEY: '', STRIPE_WEBHOOK_SECRET: 'whsec_x' })).toThrow(/STRIPE_KEY/);
    expect(() => load({ NODE_ENV: 'production', SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_live_1' })).toThrow(/STRIPE_WEBHOOK_SECRET is required/);
    expect(load({ NODE_ENV: 'production', SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_x' }).STRIPE_KEY).toBe('sk_live_1');
  });

  it('the sandbox delay and the sweep: defaults, bounds, and no sandbox delay in production', () => {
    expect(load({ SESSION_PUBLIC_KEYS })).toMatchObject({ SANDBOX_PROCESSOR_DELAY_MS: 0, PAYMENT_SWEEP_INTERVAL_SECONDS: 10, PAYMENT_RECHECK_AFTER_SECONDS: 10 });
    expect(load({ SESSION_PUBLIC_KEYS, SANDBOX_PROCESSOR_DELAY_MS: '2500', PAYMENT_SWEEP_INTERVAL_SECONDS: '0', PAYMENT_RECHECK_AFTER_SECONDS: '1' })).toMatchObject({
      SANDBOX_PROCESSOR_DELAY_MS: 2500,
      PAYMENT_SWEEP_INTERVAL_SECONDS: 0,
      PAYMENT_RECHECK_AFTER_SECONDS: 1,
    });
    expect(() => load({ SESSION_PUBLIC_KEYS, SANDBOX_PROCESSOR_DELAY_MS: '-1' })).toThrow(/SANDBOX_PROCESSOR_DELAY_MS/);
    expect(() => load({ SESSION_PUBLIC_KEYS, PAYMENT_RECHECK_AFTER_SECONDS: 'soon' })).toThrow(/PAYMENT_RECHECK_AFTER_SECONDS/);
    const production = { NODE_ENV: 'production', SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_live_1', STRIPE_WEBHOOK_SECRET: 'whsec_x' };
    expect(load(production).SANDBOX_PROCESSOR_DELAY_MS).toBe(0);
    expect(() => load({ ...production, SANDBOX_PROCESSOR_DELAY_MS: '100' })).toThrow(/SANDBOX_PROCESSOR_DELAY_MS must not be set in production/);
  });

  it('the service refuses to start with STRIPE_KEY and no STRIPE_WEBHOOK_SECRET, naming it', async () => {
    const started = promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'index.ts')], {
      cwd: path.join(__dirname, '..'),
      env: { PATH: process.env.PATH, NODE_ENV: 'development', SESSION_PUBLIC_KEYS, STRIPE_KEY: 'sk_test_1', NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1', PORT: '0' },
      timeout: 30_000,
    });
    await expect(started).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/payments: Invalid configuration: .*STRIPE_WEBHOOK_SECRET is required/) });
  });

  it('the service refuses to start in production without STRIPE_KEY, naming it', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      SESSION_PUBLIC_KEYS,
      NATS_URL: 'nats://127.0.0.1:1',
      MONGO_URL: 'mongodb://127.0.0.1:1',
      PORT: '0',
    };
    const started = promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'src', 'index.ts')], {
      cwd: path.join(__dirname, '..'),
      env,
      timeout: 30_000,
    });
    await expect(started).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/payments: Invalid configuration: .*STRIPE_KEY is required/) });
  });
});
