import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One process the stack started: enough to find it again, and to be sure it is still ours. */
export interface RecordedProcess {
  name: string;
  pid: number;
  /** The start of its command line, compared before killing (a pid can be reused). */
  command: string;
}

/**
 * `<stateDir>/stack-pids.json`: every process the running stack started (infrastructure,
 * services, client, gateway), each in a process group of its own. Node has no
 * parent-death signal, so if the launcher dies without stopping them (SIGKILL, a crash),
 * the next start finds them here and stops them; and a forced stop kills them from here
 * even while the stack is still starting.
 */
export class PidFile {
  readonly file: string;
  private entries: RecordedProcess[] = [];

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'stack-pids.json');
  }

  /** Records a started process (replacing an earlier record of the same name). */
  record(name: string, pid: number | undefined): void {
    if (!pid) return;
    const command = commandOf(pid);
    if (command === undefined) return; // already gone
    this.entries = [...this.entries.filter((e) => e.name !== name), { name, pid, command }];
    this.write();
  }

  /** Forgets everything: after a complete stop. */
  clear(): void {
    this.entries = [];
    rmSync(this.file, { force: true });
  }

  /** SIGKILL to every recorded process group, at once and synchronously (the forced stop). */
  killAll(): RecordedProcess[] {
    const killed = readPidFile(this.file).filter(isStillOurs);
    for (const p of killed) killGroup(p.pid, 'SIGKILL');
    return killed;
  }

  private write(): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.entries, null, 2)}\n`);
    renameSync(tmp, this.file); // never a half-written file, whenever we die
  }
}

function readPidFile(file: string): RecordedProcess[] {
  if (!existsSync(file)) return [];
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as RecordedProcess[];
    return Array.isArray(parsed) ? parsed.filter((p) => Number.isInteger(p.pid) && p.pid > 1 && typeof p.command === 'string') : [];
  } catch {
    return [];
  }
}

/** The process's command line (`ps -o args=`), or undefined when there is no such process. */
function commandOf(pid: number): string | undefined {
  try {
    const out = execFileSync('ps', ['-ww', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined; // ps exits 1 for an unknown pid
  }
}

function isStillOurs(p: RecordedProcess): boolean {
  const command = commandOf(p.pid);
  return command !== undefined && command === p.command;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals the process group (every child was started in a group of its own), else the process. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/**
 * Stops what a previous run left running (its launcher died before stopping it): SIGTERM to
 * each recorded process that is still the same command, SIGKILL after `timeoutMs`. Returns
 * what it stopped; removes the file.
 */
export async function stopLeftovers(stateDir: string, log: (line: string) => void, timeoutMs = 5_000): Promise<RecordedProcess[]> {
  const file = new PidFile(stateDir).file;
  const leftovers = readPidFile(file).filter(isStillOurs);
  for (const p of leftovers) {
    log(`stopping ${p.name} (pid ${p.pid}), left running by a previous run that did not stop`);
    killGroup(p.pid, 'SIGTERM');
  }
  const deadline = Date.now() + timeoutMs;
  while (leftovers.some((p) => isAlive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const p of leftovers.filter((x) => isAlive(x.pid))) killGroup(p.pid, 'SIGKILL');
  await waitForExit(leftovers.map((p) => p.pid), 5_000);
  rmSync(file, { force: true });
  return leftovers;
}

/** Resolves once none of `pids` exists any more (or after `timeoutMs`). */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/**
 * SIGKILL to every direct child of this process and its process group: the last resort of a
 * forced stop, which also catches a server spawned a moment ago and not recorded yet.
 */
export function killOwnChildren(): number[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  const children = out
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, ppid]) => ppid === process.pid && pid > 1)
    .map(([pid]) => pid);
  for (const pid of children) killGroup(pid, 'SIGKILL');
  return children;
}
