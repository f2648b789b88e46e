import { sleep } from '@ticketing/common/testing';
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

/** The stack's service processes (not the gateway, not the client). */
export function serviceProcesses(stack: E2EStack): string[] {
  return stack.processes.map((p) => p.name).filter((n) => /^(auth|tickets|orders|payments|expiration)-\d+$/.test(n));
}

async function ready(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1_500) })).ok;
  } catch {
    return false;
  }
}

/** Waits (bounded) until every service process answers its readiness probe; the time it took, or undefined. */
export async function waitAllReady(stack: E2EStack, timeoutMs = 90_000): Promise<number | undefined> {
  const started = Date.now();
  const names = serviceProcesses(stack);
  while (Date.now() - started < timeoutMs) {
    const states = await Promise.all(names.map((n) => ready(stack.urlOf(n))));
    if (states.every(Boolean)) return Date.now() - started;
    await sleep(250);
  }
  return undefined;
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

  constructor(
    private readonly stack: E2EStack,
    private readonly rng: Rng,
    private readonly counters: CounterTracker,
    private readonly replicas: number,
  ) {}

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

  /** Which processes are not ready, what their probe says, and their last log lines. */
  async diagnose(): Promise<string> {
    const out: string[] = [];
    for (const name of serviceProcesses(this.stack)) {
      const probe = await fetch(`${this.stack.urlOf(name)}/readyz`, { signal: AbortSignal.timeout(1_500) })
        .then(async (r) => (r.ok ? undefined : `${r.status} ${await r.text()}`))
        .catch((err: Error) => `no answer (${(err.cause as { code?: string })?.code ?? err.name})`);
      if (probe === undefined) continue;
      const proc = this.stack.process(name);
      const tail = this.stack.lines.filter((l) => l.name === name).slice(-12).map((l) => `    ${l.line.slice(0, 400)}`);
      out.push(`  ${name} (running: ${proc.running}, restarts: ${proc.restarts}): ${probe}\n${tail.join('\n')}`);
    }
    return out.join('\n');
  }

  private async kill(target: string): Promise<void> {
    const downMs = this.rng.int(300, 2_500);
    const atEpochMs = Date.now();
    const at = atEpochMs - this.started;
    process.stdout.write(`[chaos] +${(at / 1000).toFixed(1)}s SIGKILL ${target}, down ${downMs} ms\n`);
    if (target === 'nats' || target === 'redis') {
      const server = this.stack.infra[target].server!;
      await server.stop('SIGKILL');
      await sleep(downMs);
      await server.start();
    } else {
      await this.counters.scrape(target);
      const proc = this.stack.process(target);
      await proc.stop('SIGKILL');
      await sleep(downMs);
      proc.restarts++;
      proc.start();
    }
    const readyAfterMs = await waitAllReady(this.stack);
    this.kills.push({ target, at, atEpochMs, downMs, readyAfterMs });
    if (readyAfterMs === undefined) {
      process.stdout.write(`[chaos] not every process was ready 90 s after restarting ${target}:\n${await this.diagnose()}\n`);
    }
  }
}
