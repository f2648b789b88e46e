import { startThrowawayStack, type Stack } from '@ticketing/local';

export interface E2EStack extends Stack {
  /** Every log line of every process, for checks over the logs. */
  lines: { name: string; line: string }[];
}

/**
 * A throwaway stack (@ticketing/local) for one test file, logging at info. Set E2E_LOGS=1 to
 * see the processes' output. The MongoDB server is the test run's shared one (MONGO_URL from
 * jest's global setup) unless `ownMongo`: then the stack starts its own, which a test may
 * kill or pause.
 */
export async function startE2EStack(
  opts: { replicas?: number; env?: NodeJS.ProcessEnv; client?: boolean; ownMongo?: boolean; traceStore?: boolean } = {},
): Promise<E2EStack> {
  const lines: E2EStack['lines'] = [];
  const stack = await startThrowawayStack({
    purpose: 'e2e',
    replicas: opts.replicas,
    client: opts.client,
    ownMongo: opts.ownMongo,
    traceStore: opts.traceStore,
    env: { LOG_LEVEL: 'info', ...opts.env },
    onLine: (name, line) => lines.push({ name, line }),
    echo: process.env.E2E_LOGS === '1',
  });
  return { ...stack, lines };
}
