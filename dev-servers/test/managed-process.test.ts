import { ManagedProcess, spawnServer } from '../src';
import { eventually } from '../src/wait';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const shell = (name: string, script: string, onLine?: (name: string, line: string) => void) =>
  new ManagedProcess({ name, command: '/bin/sh', args: ['-c', script], env: process.env }, onLine);

describe('ManagedProcess', () => {
  it('passes every line on, keeps the last 60 for error messages, and reports how it ended', async () => {
    const seen: string[] = [];
    const proc = shell('counter', 'for i in $(seq 1 100); do echo "line $i"; done; echo "to stderr" >&2; exit 3', (_name, line) => seen.push(line)).start();
    expect(await proc.exited()).toBe(3);
    expect(proc.running).toBe(false);
    expect(seen).toHaveLength(101);
    const kept = proc.output().split('\n');
    expect(kept).toHaveLength(60);
    expect(kept[0]).toBe('line 42');
    expect(kept).toContain('to stderr');
  });

  it('stops its whole process group: nothing it spawned is left behind', async () => {
    let grandchild = 0;
    const proc = shell('parent', 'sleep 300 & echo $!; wait', (_name, line) => (grandchild = Number(line))).start();
    await eventually(() => grandchild > 0);
    expect(alive(grandchild)).toBe(true);
    await proc.stop();
    expect(proc.exitStatus).toBe('SIGTERM');
    await eventually(() => !alive(grandchild));
  });

  it('escalates to SIGKILL when the process ignores the signal, and restarts with the same spec', async () => {
    let started = 0;
    const proc = shell('stubborn', 'trap "" TERM; echo up; while true; do sleep 0.1; done', (_name, line) => {
      if (line === 'up') started++;
    }).start();
    await eventually(() => started === 1);
    await proc.restart();
    expect(proc.restarts).toBe(1);
    await eventually(() => started === 2);
    await proc.stop('SIGTERM', 200);
    expect(proc.exitStatus).toBe('SIGKILL');
  });

  it('spawnServer runs a command with this environment plus the given variables', async () => {
    const proc = spawnServer('/bin/sh', ['-c', 'echo "$HARNESS_TEST_VAR $PATH"'], { HARNESS_TEST_VAR: 'given' });
    expect(await proc.exited()).toBe(0);
    expect(proc.output()).toBe(`given ${process.env.PATH}`);
  });
});
