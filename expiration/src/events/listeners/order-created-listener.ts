import { defineListener, Subjects } from '@ticketing/common';
import type { ExpirationQueue } from '../../queue/expiration-queue';

/** Every new order gets an expiry job due at its expiresAt. */
export function orderCreatedListener(expirations: Pick<ExpirationQueue, 'schedule'>) {
  return defineListener({
    subject: Subjects.OrderCreated,
    async handle(data, { logger }) {
      const { delayMs } = await expirations.schedule(data.id, data.expiresAt);
      logger.info({ orderId: data.id, expiresAt: data.expiresAt, delayMs }, 'order expiry scheduled');
    },
  });
}
