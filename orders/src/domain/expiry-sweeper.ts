import { OrderCancelReason, periodicTask, UNPAID_ORDER_STATUSES, type BackgroundTask, type Logger } from '@ticketing/common';
import { Order } from '../models/order';
import type { HandoverContext } from './waitlist/handover';
import { followRelease } from './waitlist/follow-release';
import { cancelOrder } from './cancel-order';

export interface ExpirySweeperOptions {
  logger: Logger;
  /** Time between sweeps; 0 turns the sweeper off. */
  intervalSeconds: number;
  /** How long past expiresAt an unpaid order may stay before the sweeper cancels it. */
  graceSeconds: number;
  /** Orders cancelled per round at most; the next round takes the rest. Default 100. */
  batchSize?: number;
  /** How a released ticket goes to its waitlist (the order rules for the offered order). */
  handover: Omit<HandoverContext, 'logger'>;
}

/**
 * Reconciliation for lost expiry timers. An order's expiry lives only in Redis (a Bull job of
 * the expiration service): if Redis loses its data, the order would stay unpaid and its ticket
 * held forever. Every `intervalSeconds` this cancels the unpaid orders whose window ended more
 * than `graceSeconds` ago — through cancelOrder, the same single conditional write with its
 * order.cancelled event as the normal expiry — and hands the ticket to the first in its line.
 * Safe with several replicas sweeping at once: an order already cancelled (or paid) in between
 * is left alone and gets no second event.
 */
export function expirySweeper(opts: ExpirySweeperOptions): BackgroundTask & { sweep(): Promise<number> } {
  const batchSize = opts.batchSize ?? 100;

  /** One round; resolves with the number of orders it cancelled. */
  const round = async (stopping: () => boolean): Promise<number> => {
    let cancelled = 0;
    for (;;) {
      const overdue = await Order.find(
        { status: { $in: UNPAID_ORDER_STATUSES }, expiresAt: { $lt: new Date(Date.now() - opts.graceSeconds * 1000) } },
        { _id: 1 },
      )
        .sort({ expiresAt: 1 })
        .limit(batchSize)
        .lean();
      for (const { _id } of overdue) {
        if (stopping()) return cancelled;
        const outcome = await cancelOrder(String(_id), OrderCancelReason.Expired);
        if (outcome !== 'cancelled') continue;
        cancelled++;
        // The waitlist sweep retries a handover that fails here.
        await followRelease(String(_id), { ...opts.handover, logger: opts.logger }).catch((err: unknown) =>
          opts.logger.warn({ err, orderId: String(_id) }, 'expiry sweep: waitlist handover failed; the waitlist sweep retries'),
        );
      }
      if (overdue.length < batchSize || stopping()) return cancelled;
    }
  };
  const task = periodicTask({
    name: 'expiry sweep',
    intervalSeconds: opts.intervalSeconds,
    logger: opts.logger,
    round,
    onRound: (cancelled) => {
      if (cancelled) opts.logger.warn({ cancelled }, 'expiry sweep cancelled orders whose expiry timer was lost');
    },
  });
  return { ...task, sweep: () => task.runOnce() };
}
