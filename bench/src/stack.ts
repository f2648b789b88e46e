import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueDbName } from '@ticketing/dev-servers';
import { buildWhatIsMissing } from '@ticketing/local/src/build';
import { startStack, type Stack } from '@ticketing/local/src/stack';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface BenchStack extends Stack {
  /** Log lines per process and the error lines (level ≥ 50), for the report. */
  logLines: Map<string, number>;
  errorLines: { name: string; line: string }[];
}

/**
 * The stack as `npm start` runs it (same code, default settings), on free ports with a state
 * folder and database names of its own, without the client (nothing here goes to the
 * gateway's catch-all) and with the sign-up/sign-in rate limits off. `env` adds to that
 * (e.g. EXPIRATION_WINDOW_SECONDS); `replicas` of every service (1 by default). BENCH_LOGS=1 echoes the processes' output.
 */
export async function startBenchStack(env: NodeJS.ProcessEnv = {}, replicas = 1): Promise<BenchStack> {
  buildWhatIsMissing(ROOT, ['auth', 'tickets', 'orders', 'payments', 'expiration'], (l) => process.stderr.write(`${l}\n`));
  const stateDir = mkdtempSync(path.join(tmpdir(), 'ticketing-bench-'));
  const logLines = new Map<string, number>();
  const errorLines: BenchStack['errorLines'] = [];
  const stack = await startStack({
    root: ROOT,
    stateDir,
    replicas,
    client: false,
    env: {
      RATE_LIMIT_SIGNUP_PER_MIN: '0',
      RATE_LIMIT_SIGNIN_PER_MIN: '0',
      RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: '0',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
      RATE_LIMIT_PAYMENTS_PER_MIN: '0',
      // Load generators hold many unpaid orders per user; the cap has its own tests.
      ORDERS_MAX_ACTIVE_PER_BUYER: '0',
      MONGO_DB_PREFIX: `${uniqueDbName('bench')}_`,
      ...env,
    },
    onLine: (name, line) => {
      logLines.set(name, (logLines.get(name) ?? 0) + 1);
      if (/"level":(5|6)0/.test(line) && errorLines.length < 50) errorLines.push({ name, line });
      if (process.env.BENCH_LOGS === '1') process.stdout.write(`${name}| ${line}\n`);
    },
  });
  return {
    ...stack,
    logLines,
    errorLines,
    stop: async () => {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Restarts one service process of the stack with extra environment (e.g. the orders service
 * with EXPIRATION_WINDOW_SECONDS=2 for the expiry scenario) and waits until it is ready again.
 * Same port, same database; the gateway keeps routing to it.
 */
export async function restartWithEnv(stack: BenchStack, name: string, env: NodeJS.ProcessEnv): Promise<void> {
  const proc = stack.process(name);
  Object.assign(proc.spec.env ?? {}, env);
  await proc.restart();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ready = await fetch(`${stack.urlOf(name)}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    if (!proc.running) throw new Error(`${name} exited after its restart`);
    if (Date.now() > deadline) throw new Error(`${name} was not ready 60 s after its restart`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
