import { setTimeout as delay } from 'node:timers/promises';
import { connect } from 'node:net';
import { sleep } from '@ticketing/dev-servers';
import { isReady } from '@ticketing/local';
import type { E2EStack } from './stack';

export type InfraName = 'nats' | 'redis' | 'mongo';
export type FaultKind = 'kill' | 'pause' | 'flush';

/** One fault injected into the stack, with when it began and when everything was ready again. */
export interface FaultRecord {
  kind: FaultKind;
  target: string;
  /** Date.now() when the fault began. */
  atEpochMs: number;
  /** How long the target was down (killed) or frozen (paused); 0 for a flush. */
  downMs: number;
  /** ms from the end of the outage until every service answered /readyz (undefined: not within the bound). */
  readyAfterMs?: number;
}

/** The stack's service processes (not the gateway, not the client). */
export function serviceProcesses(stack: E2EStack): string[] {
  return stack.processes.map((p) => p.name).filter((n) => /^(auth|tickets|orders|payments|expiration)-\d+$/.test(n));
}

/** Waits (bounded) until every service process answers its readiness probe; the time it took, or undefined. */
export async function waitAllReady(stack: E2EStack, timeoutMs = 90_000): Promise<number | undefined> {
  const started = Date.now();
  const names = serviceProcesses(stack);
  while (Date.now() - started < timeoutMs) {
    const states = await Promise.all(names.map((n) => isReady(stack.urlOf(n), 1_500)));
    if (states.every(Boolean)) return Date.now() - started;
    await sleep(250);
  }
  return undefined;
}

/** Sends one inline Redis command over a plain socket (no client library needed for FLUSHALL). */
function redisCommand(url: string, command: string): Promise<string> {
  const { hostname, port, username, password } = new URL(url);
  return new Promise((resolve, reject) => {
    // AUTH first (the default user is off), then the command, pipelined: two replies.
    const auth = `AUTH ${decodeURIComponent(username)} ${decodeURIComponent(password)}\r\n`;
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(`${auth}${command}\r\n`));
    socket.setTimeout(5_000, () => socket.destroy(new Error(`redis ${command}: timeout`)));
    let replies = '';
    socket.on('data', (chunk) => {
      replies += chunk.toString('utf8');
      const lines = replies.split('\r\n').filter(Boolean);
      if (lines.length < 2) return;
      socket.end();
      resolve(lines[0] === '+OK' ? lines[1] : `AUTH answered ${lines[0]}`);
    });
    socket.once('error', reject);
  });
}

/**
 * Handles to break the stack the way production breaks: SIGKILL and restart, SIGSTOP and
 * SIGCONT (a hung process: connections stay open, nothing answers), and Redis losing its
 * data (FLUSHALL). Targets are service processes (`orders-2`) and `nats`, `redis`, `mongo`.
 */
export class FaultInjector {
  constructor(private readonly stack: E2EStack) {}

  /** Every target: each service replica and the three infrastructure servers. */
  targets(): string[] {
    return [...serviceProcesses(this.stack), 'nats', 'redis', 'mongo'];
  }

  private infra(target: string) {
    if (target !== 'nats' && target !== 'redis' && target !== 'mongo') return undefined;
    const server = this.stack.infra[target].server;
    if (!server) throw new Error(`${target} is external (not started by the stack): cannot inject faults into it`);
    return server;
  }

  /** SIGKILL, `downMs` of outage, restart (same port, same data). */
  async kill(target: string, downMs: number): Promise<void> {
    const server = this.infra(target);
    if (server) {
      await server.stop('SIGKILL');
      await sleep(downMs);
      await server.start();
      return;
    }
    const proc = this.stack.process(target);
    await proc.stop('SIGKILL');
    await sleep(downMs);
    proc.restarts++;
    proc.start();
  }

  /**
   * SIGSTOP (a service: its whole process group), `frozenMs`, SIGCONT. With `until`, SIGCONT
   * comes as soon as that settles, if sooner: a test that needs the target frozen only while
   * it checks something gives a generous bound without always waiting it out.
   */
  async pause(target: string, frozenMs: number, until?: Promise<unknown>): Promise<void> {
    const server = this.infra(target);
    const pid = server ? undefined : this.stack.process(target).pid;
    if (!server && pid === undefined) throw new Error(`${target} has no process to pause`);
    const signal = (sig: NodeJS.Signals) => {
      if (server) return server.signal(sig);
      try {
        process.kill(-pid!, sig);
      } catch {
        process.kill(pid!, sig);
      }
    };
    signal('SIGSTOP');
    const timer = new AbortController();
    try {
      await Promise.race([
        delay(frozenMs, undefined, { signal: timer.signal }).catch(() => undefined),
        ...(until ? [until.catch(() => undefined)] : []),
      ]);
    } finally {
      timer.abort();
      signal('SIGCONT');
    }
  }

  /** Redis loses every key (a flushed or replaced instance): the expiration worker's delayed jobs are gone. */
  async flushRedis(): Promise<void> {
    const reply = await redisCommand(this.stack.infra.redis.server.urlFor('admin'), 'FLUSHALL');
    if (reply !== '+OK') throw new Error(`FLUSHALL answered ${reply}`);
  }
}

/** Which service processes are not ready, what their probe says, and their last log lines. */
export async function diagnose(stack: E2EStack): Promise<string> {
  const out: string[] = [];
  for (const name of serviceProcesses(stack)) {
    const probe = await fetch(`${stack.urlOf(name)}/readyz`, { signal: AbortSignal.timeout(1_500) })
      .then(async (r) => (r.ok ? undefined : `${r.status} ${await r.text()}`))
      .catch((err: Error) => `no answer (${(err.cause as { code?: string })?.code ?? err.name})`);
    if (probe === undefined) continue;
    const proc = stack.process(name);
    const tail = stack.lines.filter((l) => l.name === name).slice(-12).map((l) => `    ${l.line.slice(0, 400)}`);
    out.push(`  ${name} (running: ${proc.running}, restarts: ${proc.restarts}): ${probe}\n${tail.join('\n')}`);
  }
  return out.join('\n');
}
