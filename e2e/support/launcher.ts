import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** The lowest port the kernel hands out as the local port of outgoing connections. */
function ephemeralPortsStart(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * A base port with `count` free ports from it on, away from the ports the lead's stack uses
 * and below the ephemeral range: an outgoing connection anywhere on the machine could
 * otherwise take one of the block's ports while the test runs.
 */
export async function freePortBlock(count: number): Promise<number> {
  const top = Math.max(20_000 + count, ephemeralPortsStart() - count);
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (top - 20_000 - count));
    const free = await Promise.all(Array.from({ length: count }, (_, i) => canListen(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error(`no block of ${count} free ports found`);
}

/** Live (not zombie) processes: pid, process group, command line. */
export function processTable(): { pid: number; pgid: number; args: string }[] {
  const out = execFileSync('ps', ['-A', '-ww', '-o', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m && !m[3].startsWith('Z'))
    .map((m) => ({ pid: Number(m[1]), pgid: Number(m[2]), args: m[4] }));
}

export const isRunning = (pid: number) => processTable().some((p) => p.pid === pid);

/** `npm start …` as a user runs it in a terminal: its own foreground process group. */
export class NpmStart {
  readonly child: ChildProcess;
  readonly output: string[] = [];
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly args: string[],
    readonly env: NodeJS.ProcessEnv,
  ) {
    // --ignore-scripts skips `prestart` (installing what a fresh machine lacks): not under test.
    this.child = spawn('npm', ['start', '--ignore-scripts', ...(args.length ? ['--', ...args] : [])], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // the process group a terminal would make for the job
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.output.push(...chunk.split('\n')));
    }
    // 'close', not 'exit': npm may end before the launcher it ran (which holds our pipes) has.
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve({ code, signal })));
  }

  get text(): string {
    // eslint-disable-next-line no-control-regex
    return this.output.join('\n').replace(/\x1b\[[0-9;]*m/g, '');
  }

  /** Waits for the launcher's "Ready" line; fails with the output if it exits first. */
  async ready(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!/^Ready: http/m.test(this.text)) {
      if (this.child.exitCode !== null) throw new Error(`npm start exited with ${this.child.exitCode}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000}s:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The printed table's rows: NAME → { url, pid }. */
  table(): Map<string, { url: string; pid?: number }> {
    const rows = new Map<string, { url: string; pid?: number }>();
    const lines = this.text.split('\n');
    const header = lines.findIndex((l) => /^NAME\s+WHAT\s+URL\s+PID/.test(l));
    for (const line of lines.slice(header + 1)) {
      if (line.trim() === '') break;
      const url = /\b(\w+:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1] ?? '';
      const pid = /\s(\d+)\s*$/.exec(line)?.[1];
      rows.set(line.split(/\s+/)[0], { url, pid: pid ? Number(pid) : undefined });
    }
    return rows;
  }

  /** Signals the whole process group, as a terminal does for Ctrl-C. */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.child.pid!, signal);
  }

  /** The launcher process itself: node running start.ts (not npm, not the `sh -c` between them). */
  launcherPid(): number | undefined {
    return processTable().find((p) => p.pgid === this.child.pid && /^\S*node\s.*infra\/local\/src\/start\.ts/.test(p.args))?.pid;
  }

  /** Once npm and the launcher have both ended (after a signal, npm ends with that signal). */
  async exit(timeoutMs = 120_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`npm start still running after ${timeoutMs / 1000}s:\n${this.tail()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  tail(lines = 60): string {
    return this.text.split('\n').slice(-lines).join('\n');
  }
}

/** The pids the launcher recorded for this state folder (none once it stopped completely). */
export function recordedPids(stateDir: string): { name: string; pid: number }[] {
  const file = path.join(stateDir, 'stack-pids.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { name: string; pid: number }[]) : [];
}
