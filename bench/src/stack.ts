import { startThrowawayStack, type Stack } from '@ticketing/local';

export interface BenchStack extends Stack {
  /** Log lines per process and the error lines (level ≥ 50), for the report. */
  logLines: Map<string, number>;
  errorLines: { name: string; line: string }[];
}

/**
 * A throwaway stack (@ticketing/local) with default settings, without the client (nothing
 * here goes to the gateway's catch-all). `env` adds to that (e.g. EXPIRATION_WINDOW_SECONDS);
 * `replicas` of every service (1 by default). BENCH_LOGS=1 echoes the processes' output.
 */
export async function startBenchStack(env: NodeJS.ProcessEnv = {}, replicas = 1): Promise<BenchStack> {
  const logLines = new Map<string, number>();
  const errorLines: BenchStack['errorLines'] = [];
  const stack = await startThrowawayStack({
    purpose: 'bench',
    replicas,
    env,
    onLine: (name, line) => {
      logLines.set(name, (logLines.get(name) ?? 0) + 1);
      if (/"level":(5|6)0/.test(line) && errorLines.length < 50) errorLines.push({ name, line });
    },
    echo: process.env.BENCH_LOGS === '1',
    log: (l) => process.stderr.write(`${l}\n`),
  });
  return { ...stack, logLines, errorLines };
}
