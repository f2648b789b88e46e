import { intFromEnv, jwtConfigSchema } from '@ticketing/common';
import { z } from 'zod';

/** The orders service's own variables (runService adds PORT, NATS_URL, MONGO_URL, …). */
export const ordersConfigSchema = jwtConfigSchema.extend({
  /** How long an order holds its ticket before it expires unless paid. */
  EXPIRATION_WINDOW_SECONDS: intFromEnv(15 * 60, { min: 1 }),
});

export type OrdersConfig = z.infer<typeof ordersConfigSchema>;
