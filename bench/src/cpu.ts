import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/** Fields of /proc/<pid>/stat after the command name "(…)": state is [0], ppid [1], utime [11], stime [12]. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** `pid` and every process below it (nginx's workers under its master). */
function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    if (ppid) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const walk = (p: number) => {
    tree.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(pid);
  return tree;
}

/** CPU seconds (user + system) a process has used so far; undefined when unreadable (not Linux, gone). */
function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND : undefined;
}

/** Peak resident set size (VmHWM) of a process, MB; undefined when unreadable. */
function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Which process of the machine's two cores' worth of time did what: CPU seconds per stack
 * process (with the processes it spawned, e.g. nginx's workers) and the load generator
 * itself between `start()` and `stop()`; and each one's peak memory.
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
  let before: Record<string, { pids: number[]; cpu: Map<number, number> }> = {};
  return {
    start() {
      before = {};
      for (const [name, pid] of Object.entries(pids())) {
        const tree = name.startsWith('bench') ? [pid] : processTree(pid);
        const cpu = new Map<number, number>();
        for (const p of tree) {
          const s = cpuSeconds(p);
          if (s !== undefined) cpu.set(p, s);
        }
        if (cpu.size) before[name] = { pids: tree, cpu };
      }
    },
    /** CPU seconds used since start(), per process (tree), largest first. */
    stop(): Record<string, number> {
      const used: [string, number][] = [];
      for (const [name, { cpu }] of Object.entries(before)) {
        let total = 0;
        for (const [p, s] of cpu) {
          const now = cpuSeconds(p);
          if (now !== undefined) total += now - s;
        }
        used.push([name, Math.round(total * 100) / 100]);
      }
      return Object.fromEntries(used.sort((a, b) => b[1] - a[1]));
    },
    /** Peak RSS (MB) of each process so far (a tree: the sum of its processes' peaks), largest first. */
    peakRss(): Record<string, number> {
      const out: [string, number][] = [];
      for (const [name, pid] of Object.entries(pids())) {
        const tree = name.startsWith('bench') ? [pid] : processTree(pid);
        const mb = tree.map(peakRssMb).reduce<number>((n, v) => n + (v ?? 0), 0);
        if (mb) out.push([name, Math.round(mb * 10) / 10]);
      }
      return Object.fromEntries(out.sort((a, b) => b[1] - a[1]));
    },
  };
}
