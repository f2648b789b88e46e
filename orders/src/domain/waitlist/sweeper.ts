import { periodicTask, type BackgroundTask } from '@ticketing/common';
import { WaitlistEntry } from '../../models/waitlist-entry';
import { offerReleasedTicket, type HandoverContext } from './handover';

export interface WaitlistSweeperOptions extends HandoverContext {
  /** Time between sweeps; 0 turns the sweeper off. */
  intervalSeconds: number;
}

/**
 * Reconciliation for handovers that did not happen: a release whose follow-up failed or found
 * another handover busy, a handover that crashed between its claim and its order (finished once
 * the claim is stale), an offered order that lapsed while its expiry was handled elsewhere.
 * Every `intervalSeconds` this offers every ticket that has someone waiting (a no-op while an
 * order holds it). Safe with any number of replicas: one handover per ticket at a time.
 */
export function waitlistSweeper(opts: WaitlistSweeperOptions): BackgroundTask & { sweep(): Promise<number> } {
  const round = async (stopping: () => boolean): Promise<number> => {
    let offered = 0;
    const tickets = await WaitlistEntry.distinct('ticketId', { status: 'waiting' });
    for (const ticketId of tickets) {
      if (stopping()) break;
      try {
        if ((await offerReleasedTicket(ticketId, opts)) === 'offered') offered++;
      } catch (err) {
        // One ticket's failure must not starve the others: the next round retries it.
        opts.logger.warn({ err, ticketId }, 'waitlist sweep could not hand a ticket over');
      }
    }
    return offered;
  };
  const task = periodicTask({
    name: 'waitlist sweep',
    intervalSeconds: opts.intervalSeconds,
    logger: opts.logger,
    round,
    onRound: (offered) => {
      if (offered) opts.logger.warn({ offered }, 'waitlist sweep handed over tickets that no release had');
    },
  });
  return { ...task, sweep: () => task.runOnce() };
}
