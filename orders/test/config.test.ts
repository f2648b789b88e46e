import { baseConfigSchema, loadConfig } from '@ticketing/common';
import { ordersConfigSchema } from '../src/config';
import { expectCountVariable, testSessionEnv } from '@ticketing/dev-servers';

const { SESSION_PUBLIC_KEYS } = testSessionEnv();
const load = (env: NodeJS.ProcessEnv) => loadConfig(baseConfigSchema.extend(ordersConfigSchema.shape), { SESSION_PUBLIC_KEYS, ...env });

describe('orders configuration', () => {
  it('orders per user per minute: 10 by default, 0 turns the limit off, anything else not a count is refused', () => {
    expectCountVariable(load, 'RATE_LIMIT_ORDERS_PER_MIN', 10);
  });

  it('waitlist sweep: every 10 s by default, 0 turns it off, a negative or non-number is refused', () => {
    expectCountVariable(load, 'WAITLIST_SWEEP_INTERVAL_SECONDS', 10);
  });
});
