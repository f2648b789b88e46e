import type { Logger } from '../telemetry';
import type { BackgroundTask } from './define-service';

export interface PeriodicTaskOptions<T> {
  /** Said in the log line of a failed round. */
  name: string;
  /** Time between the end of one round and the start of the next; 0 = never runs by itself. */
  intervalSeconds: number;
  logger: Logger;
  /** One round. `stopping()` turns true on shutdown: a long round should end early. */
  round: (stopping: () => boolean) => Promise<T>;
  /** Told each finished round's result (e.g. to log what it did). */
  onRound?: (result: T) => void;
}

/**
 * A reconciliation loop for runService's `background`: one round at a time, every
 * `intervalSeconds`; a failed round is logged and the next one retries; `stop()` waits for
 * the round in progress. `runOnce()` runs a round now (tests, or an operator's nudge).
 */
export function periodicTask<T>(opts: PeriodicTaskOptions<T>): BackgroundTask & { runOnce(): Promise<T> } {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const runOnce = () => opts.round(() => stopped);

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .then((result) => opts.onRound?.(result))
        .catch((err: unknown) => opts.logger.warn({ err }, `${opts.name} failed; next round retries`))
        .finally(schedule);
    }, opts.intervalSeconds * 1000);
    timer.unref();
  };

  return {
    runOnce,
    start() {
      if (opts.intervalSeconds > 0) schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
