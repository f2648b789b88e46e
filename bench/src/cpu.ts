import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { BenchStack } from './stack';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** The process listening on a loopback TCP port (infrastructure servers do not tell their pid). */
function listenerPid(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
    const m = /pid=(\d+)/.exec(out);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far; undefined when unreadable (not Linux, gone). */
function cpuSeconds(pid: number): number | undefined {
  try {
    // Fields after the command name "(…)": state is 3rd, utime 14th, stime 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Which process of the machine's two cores' worth of time did what: CPU seconds per stack
 * process (and the load generator itself) between `start()` and `stop()`.
 */
export function cpuMeter(stack: BenchStack) {
  const pids = (): Record<string, number> => {
    const out: Record<string, number> = { 'bench (load generator)': process.pid };
    for (const p of stack.processes) if (p.pid && p.running) out[p.name] = p.pid;
    for (const [name, infra] of Object.entries(stack.infra)) {
      const port = Number(new URL(infra.url).port);
      const pid = port ? listenerPid(port) : undefined;
      if (pid) out[name] = pid;
    }
    return out;
  };
  let before: Record<string, { pid: number; cpu: number }> = {};
  return {
    start() {
      before = {};
      for (const [name, pid] of Object.entries(pids())) {
        const cpu = cpuSeconds(pid);
        if (cpu !== undefined) before[name] = { pid, cpu };
      }
    },
    /** CPU seconds used since start(), per process, largest first. */
    stop(): Record<string, number> {
      const used: [string, number][] = [];
      for (const [name, { pid, cpu }] of Object.entries(before)) {
        const now = cpuSeconds(pid);
        if (now !== undefined) used.push([name, Math.round((now - cpu) * 100) / 100]);
      }
      return Object.fromEntries(used.sort((a, b) => b[1] - a[1]));
    },
  };
}
