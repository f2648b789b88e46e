import { sleep } from '@ticketing/dev-servers';
import { diagnose, FaultInjector, serviceProcesses, waitAllReady } from '../support/faults';
import type { Rng } from '../support/rng';
import type { E2EStack } from '../support/stack';
import type { CounterTracker } from '../support/metrics';

export interface Kill {
  target: string;
  /** ms since the chaos started. */
  at: number;
  /** Date.now() of the kill. */
  atEpochMs: number;
  downMs: number;
  /** ms from the restart until every process answered /readyz again (undefined: not within 90 s). */
  readyAfterMs?: number;
}

/**
 * SIGKILLs one part of the system at a time at random moments (seeded) and restarts it after
 * a short outage: first one replica of every service, the expiration worker, NATS and Redis
 * in a random order, then random parts while time remains. Before killing a service it
 * scrapes its counters (they die with it). After each restart it waits for every process to
 * be ready again before the next fault, so faults never overlap.
 */
export class ChaosMonkey {
  readonly kills: Kill[] = [];
  private readonly started = Date.now();
  private readonly faults: FaultInjector;

  constructor(
    private readonly stack: E2EStack,
    private readonly rng: Rng,
    private readonly counters: CounterTracker,
    private readonly replicas: number,
  ) {
    this.faults = new FaultInjector(stack);
  }

  /** Every kind of target once, in a random order (one random replica per service). */
  firstRound(): string[] {
    const services = ['auth', 'tickets', 'orders', 'payments', 'expiration'].map((s) => `${s}-${this.rng.int(1, this.replicas)}`);
    return this.rng.shuffle([...services, 'nats', 'redis']);
  }

  /** Runs until `keepGoing()` is false and the first round is done. */
  async run(keepGoing: () => boolean): Promise<void> {
    const queue = this.firstRound();
    const everything = [...serviceProcesses(this.stack), 'nats', 'redis'];
    while (queue.length > 0 || keepGoing()) {
      await sleep(this.rng.int(1_000, 3_500));
      const target = queue.shift() ?? this.rng.pick(everything);
      await this.kill(target);
    }
  }

  private async kill(target: string): Promise<void> {
    const downMs = this.rng.int(300, 2_500);
    const atEpochMs = Date.now();
    const at = atEpochMs - this.started;
    process.stdout.write(`[chaos] +${(at / 1000).toFixed(1)}s SIGKILL ${target}, down ${downMs} ms\n`);
    // A service's counters die with it: scrape them first.
    if (target !== 'nats' && target !== 'redis') await this.counters.scrape(target);
    await this.faults.kill(target, downMs);
    const readyAfterMs = await waitAllReady(this.stack);
    this.kills.push({ target, at, atEpochMs, downMs, readyAfterMs });
    if (readyAfterMs === undefined) {
      process.stdout.write(`[chaos] not every process was ready 90 s after restarting ${target}:\n${await diagnose(this.stack)}\n`);
    }
  }
}
