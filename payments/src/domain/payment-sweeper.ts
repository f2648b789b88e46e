import { periodicTask, type BackgroundTask } from '@ticketing/common';
import { Payment, PaymentStatus, UNSETTLED_PAYMENT_STATUSES } from '../models';
import { settlePayments, type SettleContext } from './settle-payments';

export interface PaymentSweeperOptions extends SettleContext {
  /** Time between sweeps (PAYMENT_SWEEP_INTERVAL_SECONDS); 0 turns the sweeper off. */
  intervalSeconds: number;
}

/**
 * Reconciliation for everything a request, a webhook or an event did not finish: a request
 * that died between the processor and our record (pending), a 3-D Secure or processing outcome
 * whose webhook never came, a capture / void / refund that failed. Every `intervalSeconds` it
 * settles each order that has a payment unfinished for at least recheckAfterMs, or a captured
 * payment its order did not accept. Safe with several replicas sweeping at once (settlePayments is).
 */
export function paymentSweeper(opts: PaymentSweeperOptions): BackgroundTask & { sweep(): Promise<number> } {
  /** One round; resolves with the number of orders it settled. */
  const round = async (stopping: () => boolean): Promise<number> => {
    const before = new Date(Date.now() - opts.recheckAfterMs);
    const orderIds = new Set<string>();
    const candidates = Payment.find(
      {
        $or: [
          { status: { $in: UNSETTLED_PAYMENT_STATUSES }, statusAt: { $lte: before } },
          { status: PaymentStatus.Captured, acceptedFor: { $exists: false } },
        ],
      },
      { orderId: 1 },
    )
      .lean()
      .cursor();
    for await (const p of candidates) orderIds.add(String(p.orderId));
    let settled = 0;
    for (const orderId of orderIds) {
      if (stopping()) break;
      try {
        await settlePayments(orderId, opts);
        settled++;
      } catch (err) {
        opts.logger.warn({ err, orderId }, 'payment sweep could not settle an order; next round retries');
      }
    }
    return settled;
  };
  const task = periodicTask({ name: 'payment sweep', intervalSeconds: opts.intervalSeconds, logger: opts.logger, round });
  return { ...task, sweep: () => task.runOnce() };
}
