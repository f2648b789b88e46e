import { freePort, ManagedProcess, sleep } from '@ticketing/dev-servers';
import type { BuiltImage } from './docker-sandbox';

export interface RunningImage {
  process: ManagedProcess;
  port: number;
  output(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

/** Starts the image's CMD in its WORKDIR with exactly `env` (plus PATH), like a container would. */
export async function runImage(image: BuiltImage, env: Record<string, string>): Promise<RunningImage> {
  if (!image.cmd) throw new Error('the image has no CMD');
  const port = await freePort();
  const proc = new ManagedProcess({
    name: image.cmd.join(' '),
    command: image.cmd[0],
    args: image.cmd.slice(1),
    cwd: image.workdirOnHost,
    env: { PATH: process.env.PATH, ...image.env, ...env, PORT: String(port) },
  }).start();
  const exited = proc.exited().then((status) => status ?? 'unknown');
  return {
    process: proc,
    port,
    output: () => proc.output(),
    exited,
    stop: async () => {
      await proc.stop('SIGTERM', 30_000);
      return exited;
    },
  };
}

/**
 * Polls `http://127.0.0.1:<port><path>` until it answers `status`. Fails as soon as the
 * process exits (with its output), or after `timeoutMs` (a bound against hangs, not a
 * performance assertion).
 */
export async function waitForStatus(run: RunningImage, path: string, status: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!run.process.running) {
      throw new Error(`the process exited (${run.process.exitStatus}) before ${path} answered ${status}:\n${run.output()}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${run.port}${path}`, { signal: AbortSignal.timeout(2_000) });
      last = `${res.status} ${await res.text()}`;
      if (res.status === status) return;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${path} did not answer ${status} within ${timeoutMs} ms (last: ${last}):\n${run.output()}`);
}
