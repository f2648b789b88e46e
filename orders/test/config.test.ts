import { baseConfigSchema, loadConfig } from '@ticketing/common';
import { ordersConfigSchema } from '../src/config';
import { testSessionEnv } from '@ticketing/dev-servers';

const { SESSION_PUBLIC_KEYS } = testSessionEnv();
const load = (env: NodeJS.ProcessEnv) => loadConfig(baseConfigSchema.extend(ordersConfigSchema.shape), env);

describe('orders configuration', () => {
  it('orders per user per minute: 10 by default, 0 turns the limit off, anything else not a count is refused', () => {
    expect(load({ SESSION_PUBLIC_KEYS }).RATE_LIMIT_ORDERS_PER_MIN).toBe(10);
    expect(load({ SESSION_PUBLIC_KEYS, RATE_LIMIT_ORDERS_PER_MIN: '0' }).RATE_LIMIT_ORDERS_PER_MIN).toBe(0);
    expect(load({ SESSION_PUBLIC_KEYS, RATE_LIMIT_ORDERS_PER_MIN: '30' }).RATE_LIMIT_ORDERS_PER_MIN).toBe(30);
    expect(() => load({ SESSION_PUBLIC_KEYS, RATE_LIMIT_ORDERS_PER_MIN: 'lots' })).toThrow(/RATE_LIMIT_ORDERS_PER_MIN/);
  });

  it('waitlist sweep: every 10 s by default, 0 turns it off, a negative or non-number is refused', () => {
    expect(load({ SESSION_PUBLIC_KEYS }).WAITLIST_SWEEP_INTERVAL_SECONDS).toBe(10);
    expect(load({ SESSION_PUBLIC_KEYS, WAITLIST_SWEEP_INTERVAL_SECONDS: '0' }).WAITLIST_SWEEP_INTERVAL_SECONDS).toBe(0);
    expect(() => load({ SESSION_PUBLIC_KEYS, WAITLIST_SWEEP_INTERVAL_SECONDS: '-1' })).toThrow(/WAITLIST_SWEEP_INTERVAL_SECONDS/);
    expect(() => load({ SESSION_PUBLIC_KEYS, WAITLIST_SWEEP_INTERVAL_SECONDS: 'often' })).toThrow(/WAITLIST_SWEEP_INTERVAL_SECONDS/);
  });
});
