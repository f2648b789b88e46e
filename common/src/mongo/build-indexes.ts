import type { Logger } from 'pino';

/** How often, and how far apart, a failed index build is tried again. */
export interface IndexBuildRetry {
  attempts: number;
  delayMs: number;
}

const DEFAULT_RETRY: IndexBuildRetry = { attempts: 4, delayMs: 500 };

/**
 * Runs a service's start-up index builds (idempotent by nature), trying a failed build again
 * before giving up. Replicas that start together build the same indexes at the same moment,
 * and a server may refuse one of those concurrent builds: the MongoDB stand-in answered
 * "Unknown error: null" to about one four-replica start in fifty. One refused build would
 * otherwise end the replica's start (Kubernetes restarts it; a test stack cannot).
 */
export async function buildIndexes(what: string, build: () => Promise<unknown>, logger: Logger, retry: IndexBuildRetry = DEFAULT_RETRY): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await build();
      return;
    } catch (err) {
      if (attempt >= retry.attempts) throw err;
      logger.warn({ err, attempt, retryInMs: retry.delayMs }, `${what}: index build failed; trying again`);
      await new Promise((resolve) => setTimeout(resolve, retry.delayMs));
    }
  }
}
