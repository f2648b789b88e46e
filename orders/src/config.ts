import { intFromEnv, jwtConfigSchema } from '@ticketing/common';
import { z } from 'zod';

/** The orders service's own variables (runService adds PORT, NATS_URL, MONGO_URL, …). */
export const ordersConfigSchema = jwtConfigSchema.extend({
  /** How long an order holds its ticket before it expires unless paid. */
  EXPIRATION_WINDOW_SECONDS: intFromEnv(15 * 60, { min: 1 }),
  /** Orders one signed-in user may place per minute (counted in MongoDB, across replicas); 0 = no limit. */
  RATE_LIMIT_ORDERS_PER_MIN: intFromEnv(10),
});

export type OrdersConfig = z.infer<typeof ordersConfigSchema>;
