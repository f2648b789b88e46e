import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on `port`, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 20_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited with code ${child.exitCode} before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listening on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  /** The whole environment of the process (not added to this one's). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** How many of its last output lines a process keeps for error messages. */
const KEPT_LINES = 60;

/**
 * A child process of a test or of the local stack: output line by line to `onLine` (the last
 * lines kept for `output()`), restartable, stoppable with a signal then SIGKILL. It gets a
 * process group of its own, so that nothing it spawns is left behind, and a Ctrl-C meant for
 * its parent does not reach it before the parent has stopped what depends on it.
 */
export class ManagedProcess {
  child?: ChildProcess;
  restarts = 0;
  private readonly lines: string[] = [];
  private exitWaiters: (() => void)[] = [];

  constructor(
    readonly spec: ProcessSpec,
    private readonly onLine: (name: string, line: string) => void = () => undefined,
    /** Called after every (re)start: the local stack records the pid to clean up after a crash. */
    private readonly onSpawn?: (proc: ManagedProcess) => void,
  ) {}

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The exit code, or the signal that ended it; undefined while it runs. */
  get exitStatus(): number | string | undefined {
    return this.child?.exitCode ?? this.child?.signalCode ?? undefined;
  }

  /** The last lines it printed (stdout and stderr), for error messages. */
  output(): string {
    return this.lines.join('\n');
  }

  start(): this {
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        if (this.lines.length > KEPT_LINES) this.lines.shift();
        this.onLine(this.name, line);
      });
    }
    child.once('exit', () => {
      for (const w of this.exitWaiters.splice(0)) w();
    });
    this.onSpawn?.(this);
    return this;
  }

  /** Resolves once it has exited (at once when it is not running). */
  async exited(): Promise<number | string | undefined> {
    if (this.running) await new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    return this.exitStatus;
  }

  /** Sends `signal` to the process group; resolves when it exited (SIGKILL after timeoutMs). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 8_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = this.exited();
    const kill = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        child.kill(sig);
      }
    };
    kill(signal);
    const timer = setTimeout(() => kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  async restart(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await this.stop(signal);
    this.restarts++;
    this.start();
  }
}

/** Starts a server process with this process's environment plus `env` (see ManagedProcess). */
export function spawnServer(command: string, args: string[], env?: NodeJS.ProcessEnv): ManagedProcess {
  return new ManagedProcess({ name: path.basename(command), command, args, env: { ...process.env, ...env } }).start();
}
