import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * A child process of the stack: output line by line to `onLine`, restartable, stoppable
 * with SIGTERM then SIGKILL. Its own process group, so nothing it spawns is left behind.
 */
export class ManagedProcess {
  child?: ChildProcess;
  restarts = 0;
  private exitWaiters: (() => void)[] = [];

  constructor(
    readonly spec: ProcessSpec,
    private readonly onLine: (name: string, line: string) => void,
    /** Called after every (re)start: the stack records the pid to clean up after a crash. */
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

  start(): void {
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => this.onLine(this.name, line));
    }
    child.once('exit', () => {
      for (const w of this.exitWaiters.splice(0)) w();
    });
    this.onSpawn?.(this);
  }

  /** Sends `signal` to the process group; resolves when it exited (SIGKILL after timeoutMs). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 8_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
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
