// `npm start`: the whole system on this machine. Flags: --replicas N (or REPLICAS=N),
// --reset (wipe the state folder), --seed (demo data; or SEED=1), --no-client. Jaeger runs
// beside the services (their traces, UI on JAEGER_PORT) unless TRACING=0.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { buildWhatIsMissing } from './build';
import { LogFormatter } from './log-format';
import { killOwnChildren, PidFile, waitForExit } from './pidfile';
import { seed } from './seed';
import { HTTP_SERVICES, WORKER_SERVICES, startStack, type Stack } from './stack';

const root = path.resolve(__dirname, '..', '..', '..');
const { values: flags } = parseArgs({
  options: { replicas: { type: 'string' }, reset: { type: 'boolean' }, seed: { type: 'boolean' }, 'no-client': { type: 'boolean' } },
});
// Variables given to the command win over .env, which wins over the defaults.
if (existsSync(path.join(root, '.env'))) dotenv.config({ path: path.join(root, '.env'), quiet: true });

const say = (line: string) => process.stdout.write(`\x1b[1m[stack]\x1b[0m ${line}\n`);
const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
const stateDir = path.resolve(root, process.env.STATE_DIR ?? '.state');

/**
 * One Ctrl-C reaches the launcher as several signals within moments: the terminal's (to the
 * whole foreground process group) and one relayed by each process above it (npm). Signals
 * closer together than this are one key press.
 */
const SAME_PRESS_MS = 1_000;

const startUp = new AbortController();
let stack: Stack | undefined;
let stopRequested = false;
let lastSignalAt = 0;
let finished = false;

/** Leaves with `code` once, after a last sweep: no child may outlive the launcher. */
function finish(code: number): void {
  if (finished) return;
  finished = true;
  killOwnChildren();
  process.exit(code);
}

/** The graceful stop: services, then client and gateway, then infrastructure (stack.stop is idempotent). */
async function stopAndExit(code: number): Promise<void> {
  stopRequested = true;
  startUp.abort(); // while starting, startStack stops what it started and rejects (see main)
  // Each process gets SIGKILL after a few seconds of SIGTERM; this only guards against a hang.
  setTimeout(() => forceStop('still not stopped after 60 s'), 60_000).unref();
  if (!stack) return;
  await stack.stop();
  say('stopped');
  finish(code);
}

/** The forced stop (a second Ctrl-C): SIGKILL to every process group we started, now. */
function forceStop(reason: string): void {
  say(`${reason}: killing every process now`);
  const pidFile = new PidFile(stateDir);
  const killed = pidFile.killAll().map((p) => p.pid);
  const children = killOwnChildren();
  // void: waitForExit only polls and resolves (true: all gone; false: timed out).
  void waitForExit([...killed, ...children], 5_000).then((allGone) => {
    // Kept if something survived SIGKILL, so that the next start deals with it.
    if (allGone) pidFile.clear();
    finish(130);
  });
}

function onSignal(signal: NodeJS.Signals): void {
  const now = Date.now();
  const samePress = now - lastSignalAt < SAME_PRESS_MS;
  lastSignalAt = now;
  if (!stopRequested) {
    say(`${signal}: stopping… (Ctrl-C again to kill everything at once)`);
    // A stop that fails is no reason to leave processes behind: kill them all instead.
    stopAndExit(0).catch((err: unknown) => forceStop(`stopping failed (${(err as Error).message})`));
  } else if (!samePress) {
    forceStop(`${signal} again`);
  }
}

async function main() {
  // Every signal, not just the first: with `once`, the second signal of a single Ctrl-C
  // killed the launcher mid-stop and left NATS, Redis and MongoDB running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  process.on('uncaughtException', (err) => {
    process.stderr.write(`[stack] ${err.stack ?? String(err)}\n`);
    forceStop('launcher error');
  });

  const formatter = new LogFormatter();
  const withClient = !flags['no-client'];
  buildWhatIsMissing(root, [...HTTP_SERVICES, ...WORKER_SERVICES, ...(withClient ? ['client'] : [])], say);
  try {
    stack = await startStack({
      root,
      stateDir,
      replicas: num(flags.replicas ?? process.env.REPLICAS) ?? 1,
      reset: flags.reset || process.env.RESET === '1',
      client: withClient,
      traceStore: true,
      ports: {
        gateway: num(process.env.PORT) ?? 3000,
        nats: num(process.env.NATS_PORT) ?? 4222,
        redis: num(process.env.REDIS_PORT) ?? 6379,
        mongo: num(process.env.MONGO_PORT) ?? 27017,
        jaeger: num(process.env.JAEGER_PORT) ?? 16686,
        jaegerOtlp: num(process.env.JAEGER_OTLP_PORT) ?? 4318,
        client: num(process.env.CLIENT_PORT) ?? 3100,
        serviceBase: num(process.env.SERVICE_PORT_BASE) ?? 3100,
      },
      onLine: (name, line) => process.stdout.write(`${formatter.line(name, line)}\n`),
      log: say,
      signal: startUp.signal,
    });
  } catch (err) {
    if (!stopRequested) throw err;
    say('stopped'); // interrupted while starting: startStack stopped what it had started
    return finish(0);
  }
  if (stopRequested) return stopAndExit(0); // asked to stop as start-up finished
  if (flags.seed || process.env.SEED === '1') await seed(stack.gatewayUrl, say);
  const traces = stack.infra.jaeger ? `\nTraces (Jaeger): http://localhost:${new URL(stack.infra.jaeger.url).port}` : '';
  process.stdout.write(`\n${stack.table()}\n\nReady: http://localhost:${new URL(stack.gatewayUrl).port}${traces}\n\n`);
}

main().catch(async (err: Error) => {
  if (stopRequested) return; // a stop is under way; it exits
  // One clear line for the expected failures (port in use, missing binary, bad config).
  process.stderr.write(`\x1b[31m[stack] ${err.message.split('\n')[0]}\x1b[0m\n`);
  await stack?.stop();
  finish(1);
});
