import { sleep } from '@ticketing/dev-servers';
import type { JetStreamManager } from 'nats';
import type { ServiceDatabases } from '../support/databases';
import { unsettled } from './invariants';

export interface Settled {
  /** What was still to happen when the bound ran out; empty when settled. */
  problems: string[];
  seconds: number;
}

/**
 * Polls until nothing is left to happen (no backlog, replicas equal, expired orders
 * cancelled), twice in a row, or until `timeoutMs`.
 */
export async function waitSettled(dbs: ServiceDatabases, jsm: () => Promise<JetStreamManager>, timeoutMs: number): Promise<Settled> {
  const start = Date.now();
  let problems: string[] = ['not checked yet'];
  let calm = 0;
  while (Date.now() - start < timeoutMs && calm < 2) {
    try {
      problems = await unsettled(dbs, await jsm());
    } catch (err) {
      problems = [`could not inspect: ${(err as Error).message}`];
    }
    calm = problems.length === 0 ? calm + 1 : 0;
    if (calm < 2) await sleep(1_000);
  }
  return { problems, seconds: (Date.now() - start) / 1000 };
}
