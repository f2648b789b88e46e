/**
 * The model-based test's settings. Every MODEL_* variable is optional; the defaults keep one
 * run (stack start, commands, settling, checks) within a few minutes on a loaded 2-core machine.
 *
 *   MODEL_SEED=<n>       replay a run: the same generated commands (timing still varies)
 *   MODEL_PATH=<path>    with MODEL_SEED: replay one counterexample path fast-check printed
 *   MODEL_USERS=<n>      concurrent users, one command sequence each (default 5)
 *   MODEL_COMMANDS=<n>   at most this many commands per user (default 50; fast-check draws 0..n, about n/2 on average)
 *   MODEL_FAULTS=<n>     fault commands (default 20; those left once every user is done are skipped)
 *   MODEL_THINK_MS=<n>   longest pause of a user after a command (default 1500)
 *   MODEL_RUNS=<n>       fast-check runs on the same stack (default 1)
 *   MODEL_KILL_MONGO=1   also SIGKILL MongoDB (off by default: the stand-in server loses its
 *                        last second of acknowledged writes on SIGKILL, so "no acknowledged write
 *                        lost" would fail for the database, not the system); it is always paused
 */
import { seedFrom } from '../support/rng';

const int = (name: string, fallback: number) => {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number(v);
};

export const WINDOW_SECONDS = 4;
export const SWEEP_INTERVAL_SECONDS = 1;
export const EXPIRY_GRACE_SECONDS = 2;
export const REPLICAS = 2;

/**
 * The stack's environment: a short order window, a fast reconciliation sweep and small
 * event retry budgets, abuse limits off (the users here are not abusive). Variables a
 * service does not know are ignored.
 */
export const STACK_ENV: Record<string, string> = {
  EXPIRATION_WINDOW_SECONDS: String(WINDOW_SECONDS),
  ORDER_SWEEP_INTERVAL_SECONDS: String(SWEEP_INTERVAL_SECONDS),
  ORDER_EXPIRY_GRACE_SECONDS: String(EXPIRY_GRACE_SECONDS),
  WAITLIST_SWEEP_INTERVAL_SECONDS: String(SWEEP_INTERVAL_SECONDS),
  EVENT_RETRY_DELAY_MS: '100',
  EVENT_MAX_RETRY_DELAY_MS: '2000',
  EVENT_MAX_HANDLER_FAILURES: '3',
  EVENT_HANDLER_TIMEOUT_MS: '5000',
  ORDERS_MAX_ACTIVE_PER_BUYER: '0',
  RATE_LIMIT_ORDERS_PER_MIN: '0',
  RATE_LIMIT_PAYMENTS_PER_MIN: '0',
  LOG_LEVEL: 'info',
};

export const SEED = seedFrom('MODEL_SEED');
export const REPLAY_PATH = process.env.MODEL_PATH || undefined;
export const USERS = int('MODEL_USERS', 5);
export const COMMANDS_PER_USER = int('MODEL_COMMANDS', 50);
export const MAX_FAULTS = int('MODEL_FAULTS', 20);
export const KILL_MONGO = process.env.MODEL_KILL_MONGO === '1';

/** An answer that overlaps a fault (or follows its recovery by less than this) may be an outage's 5xx. */
export const FAULT_SLACK_MS = 5_000;
/** Bound on "the system settles" after the commands: the sweep and retries are fast here. */
export const SETTLE_TIMEOUT_MS = 60_000;
/** Per request: a paused MongoDB holds answers back for seconds. */
export const REQUEST_TIMEOUT_MS = 20_000;
/** Users pause 100 ms to this long after each command, so that their work spans the fault sequence. */
export const THINK_MAX_MS = int('MODEL_THINK_MS', 1_500);
/** fast-check runs (each a new set of sequences on the same stack). */
export const RUNS = int('MODEL_RUNS', 1);
