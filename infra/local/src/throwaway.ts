import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uniqueDbName } from '@ticketing/dev-servers';
import { buildWhatIsMissing } from './build';
import { REPO_ROOT } from './repo-files';
import { HTTP_SERVICES, startStack, WORKER_SERVICES, type Stack } from './stack';

/**
 * Limits that would throttle a test's or a load run's many users from one address: off.
 * The limits and the buyer cap have tests of their own.
 */
export const UNTHROTTLED_ENV: NodeJS.ProcessEnv = {
  RATE_LIMIT_SIGNUP_PER_MIN: '0',
  RATE_LIMIT_SIGNIN_PER_MIN: '0',
  RATE_LIMIT_SIGNIN_PER_ADDRESS_PER_MIN: '0',
  RATE_LIMIT_ORDERS_PER_MIN: '0',
  RATE_LIMIT_PAYMENTS_PER_MIN: '0',
  // Load generators hold many unpaid orders per user.
  ORDERS_MAX_ACTIVE_PER_BUYER: '0',
};

export interface ThrowawayStackOptions {
  /** Names the state folder and the database prefix (`e2e`, `bench`). */
  purpose: string;
  /** Replicas of every service (1 by default). */
  replicas?: number;
  /** Start the Next.js client too (off by default). */
  client?: boolean;
  /** Run Jaeger and send the services' spans to it, as `npm start` does (off by default: see StackOptions.traceStore). */
  traceStore?: boolean;
  /** Added to (and overriding) UNTHROTTLED_ENV and the unique database prefix. */
  env?: NodeJS.ProcessEnv;
  /**
   * A MongoDB-wire server of the stack's own, which a test may kill or pause; otherwise the
   * stack uses MONGO_URL (a test run's shared server) when it is set.
   */
  ownMongo?: boolean;
  /** Every line every process prints. */
  onLine?: (name: string, line: string) => void;
  /** Also print every line to stdout as `name| line` (E2E_LOGS=1, BENCH_LOGS=1). */
  echo?: boolean;
  /** The launcher's own messages (what it builds). */
  log?: (line: string) => void;
}

/**
 * Starts the stack the way `npm start` does (same code), on free ports, with a state folder
 * and database names of its own, after building what is missing. Resolves once every
 * process answers its readiness probe; `stop()` stops everything and removes the folder.
 */
export async function startThrowawayStack(opts: ThrowawayStackOptions): Promise<Stack> {
  const client = opts.client ?? false;
  buildWhatIsMissing(REPO_ROOT, [...HTTP_SERVICES, ...WORKER_SERVICES, ...(client ? ['client'] : [])], opts.log ?? (() => undefined));
  const stateDir = mkdtempSync(path.join(tmpdir(), `ticketing-${opts.purpose}-`));
  try {
    const stack = await startStack({
      root: REPO_ROOT,
      stateDir,
      replicas: opts.replicas ?? 1,
      client,
      traceStore: opts.traceStore ?? false,
      env: {
        ...UNTHROTTLED_ENV,
        MONGO_DB_PREFIX: `${uniqueDbName(opts.purpose)}_`,
        ...(opts.ownMongo ? { MONGO_URL: '' } : {}),
        ...opts.env,
      },
      onLine: (name, line) => {
        opts.onLine?.(name, line);
        if (opts.echo) process.stdout.write(`${name}| ${line}\n`);
      },
    });
    return {
      ...stack,
      stop: async () => {
        await stack.stop();
        rmSync(stateDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(stateDir, { recursive: true, force: true });
    throw err;
  }
}
