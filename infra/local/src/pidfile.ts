import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One process the stack started: enough to find it again, and to be sure it is still ours. */
export interface RecordedProcess {
  name: string;
  pid: number;
  /** Its command line when started (for the log). */
  command: string;
  /**
   * When it started (`ps -o lstart=`), compared before killing: a pid can be reused by
   * another process, and a command line can change (Next.js renames its process).
   */
  started: string;
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
    const command = psField(pid, 'args');
    const started = psField(pid, 'lstart');
    if (command === undefined || started === undefined) return; // already gone
    this.entries = [...this.entries.filter((e) => e.name !== name), { name, pid, command, started }];
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
    return Array.isArray(parsed) ? parsed.filter((p) => Number.isInteger(p.pid) && p.pid > 1 && typeof p.started === 'string') : [];
  } catch {
    return [];
  }
}

/** One `ps` column of a process (`args`, `lstart`, `stat`), or undefined when there is no such process. */
function psField(pid: number, field: 'args' | 'lstart' | 'stat'): string | undefined {
  try {
    const out = execFileSync('ps', ['-ww', '-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return out === '' ? undefined : out;
  } catch {
    return undefined; // ps exits 1 for an unknown pid
  }
}

/** Still the process we started (same pid, same start time), and not a zombie. */
function isStillOurs(p: RecordedProcess): boolean {
  return psField(p.pid, 'lstart') === p.started && !psField(p.pid, 'stat')?.startsWith('Z');
}

/** Exists and is not a zombie (an exited process whose new parent has not reaped it yet). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = psField(pid, 'stat');
  return stat !== undefined && !stat.startsWith('Z');
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

/** Resolves with true once none of `pids` runs any more, false if some still do after `timeoutMs`. */
export async function waitForExit(pids: number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * SIGKILL to every direct child of this process and its process group: the last resort of a
 * forced stop, which also catches a server spawned a moment ago and not recorded yet.
 */
export function killOwnChildren(): number[] {
  let out: string;
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
