import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, type Stack, type StackOptions } from '@ticketing/local/src/stack';
import { buildWhatIsMissing } from '@ticketing/local/src/build';
import { uniqueDbName } from '@ticketing/dev-servers';

const root = path.resolve(__dirname, '..', '..');

export interface E2EStack extends Stack {
  /** Every log line of every process, for checks over the logs. */
  lines: { name: string; line: string }[];
}

/**
 * Starts the stack the way `npm start` does (same code), on free ports, with a state folder
 * and database names of its own. Set E2E_LOGS=1 to see the processes' output. The MongoDB
 * server is the test run's shared one (MONGO_URL from jest's global setup) unless `ownMongo`:
 * then the stack starts its own, which a test may kill or pause.
 */
export async function startE2EStack(
  opts: { replicas?: number; env?: NodeJS.ProcessEnv; client?: boolean; ownMongo?: boolean } = {},
): Promise<E2EStack> {
  const client = opts.client ?? false;
  buildWhatIsMissing(root, ['auth', 'tickets', 'orders', 'payments', 'live', 'expiration', ...(client ? ['client'] : [])], () => undefined);
  const stateDir = mkdtempSync(path.join(tmpdir(), 'ticketing-e2e-'));
  const lines: E2EStack['lines'] = [];
  const stack = await startStack({
    root,
    stateDir,
    replicas: opts.replicas ?? 1,
    client,
    env: {
      RATE_LIMIT_SIGNUP_PER_MIN: '0',
      RATE_LIMIT_SIGNIN_PER_MIN: '0',
      RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: '0',
      RATE_LIMIT_ORDERS_PER_MIN: '0',
      RATE_LIMIT_PAYMENTS_PER_MIN: '0',
      // Load generators hold many unpaid orders per user; the cap has its own tests.
      ORDERS_MAX_ACTIVE_PER_BUYER: '0',
      LOG_LEVEL: 'info',
      MONGO_DB_PREFIX: `${uniqueDbName('e2e')}_`,
      ...(opts.ownMongo ? { MONGO_URL: '' } : {}),
      ...opts.env,
    },
    onLine: (name, line) => {
      lines.push({ name, line });
      if (process.env.E2E_LOGS === '1') process.stdout.write(`${name}| ${line}\n`);
    },
  } satisfies StackOptions);
  return {
    ...stack,
    lines,
    stop: async () => {
      await stack.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
