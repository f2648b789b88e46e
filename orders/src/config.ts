import { intFromEnv, sessionConfigSchema } from '@ticketing/common';
import { z } from 'zod';
import type { OrderPolicy } from './domain/order-policy';

/** The orders service's own variables (runService adds PORT, NATS_URL, MONGO_URL, …). */
export const ordersConfigSchema = sessionConfigSchema.extend({
  /** How long an order holds its ticket before it expires unless paid. */
  EXPIRATION_WINDOW_SECONDS: intFromEnv(15 * 60, { min: 1 }),
  /** Unpaid orders (created / awaiting:payment) a buyer may hold at once; 0 turns the cap off. */
  ORDERS_MAX_ACTIVE_PER_BUYER: intFromEnv(5, { min: 0 }),
  /** Time between sweeps for unpaid orders whose expiry timer was lost; 0 turns it off. */
  ORDER_SWEEP_INTERVAL_SECONDS: intFromEnv(30, { min: 0 }),
  /** How long past its window an unpaid order may stay before the sweep cancels it. */
  ORDER_EXPIRY_GRACE_SECONDS: intFromEnv(60, { min: 0 }),
  /**
   * Time between sweeps that hand released tickets to the first in their waitlist when no release
   * did (a failed or busy handover, a crashed one); 0 turns it off.
   */
  WAITLIST_SWEEP_INTERVAL_SECONDS: intFromEnv(10, { min: 0 }),
  /** Orders one signed-in user may place per minute (counted in MongoDB, across replicas); 0 = no limit. */
  RATE_LIMIT_ORDERS_PER_MIN: intFromEnv(10),
});

export type OrdersConfig = z.infer<typeof ordersConfigSchema>;

/** The rules of every order (a buyer's or the waitlist's handover's), from the configuration. */
export function orderPolicyFrom(config: Pick<OrdersConfig, 'EXPIRATION_WINDOW_SECONDS' | 'ORDERS_MAX_ACTIVE_PER_BUYER'>): OrderPolicy {
  return { windowSeconds: config.EXPIRATION_WINDOW_SECONDS, maxActivePerBuyer: config.ORDERS_MAX_ACTIVE_PER_BUYER };
}
