// `npm start`: the whole system on this machine. Flags: --replicas N (or REPLICAS=N),
// --reset (wipe the state folder), --seed (demo data; or SEED=1).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { buildWhatIsMissing } from './build';
import { LogFormatter } from './log-format';
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

async function main() {
  const formatter = new LogFormatter();
  const withClient = !flags['no-client'];
  buildWhatIsMissing(root, [...HTTP_SERVICES, ...WORKER_SERVICES, ...(withClient ? ['client'] : [])], say);
  const running: { stack?: Stack } = {};
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    // During start-up there is nothing to stop yet: finish starting, then stop (below).
    if (!running.stack) return;
    await running.stack.stop();
    say('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  const stack = await startStack({
    root,
    stateDir: path.resolve(root, process.env.STATE_DIR ?? '.state'),
    replicas: num(flags.replicas ?? process.env.REPLICAS) ?? 1,
    reset: flags.reset || process.env.RESET === '1',
    client: withClient,
    ports: {
      gateway: num(process.env.PORT) ?? 3000,
      nats: num(process.env.NATS_PORT) ?? 4222,
      redis: num(process.env.REDIS_PORT) ?? 6379,
      mongo: num(process.env.MONGO_PORT) ?? 27017,
      client: num(process.env.CLIENT_PORT) ?? 3100,
      serviceBase: num(process.env.SERVICE_PORT_BASE) ?? 3100,
    },
    onLine: (name, line) => process.stdout.write(`${formatter.line(name, line)}\n`),
    log: say,
  });
  running.stack = stack;
  if (stopping) {
    await stack.stop();
    say('stopped');
    process.exit(0);
  }
  if (flags.seed || process.env.SEED === '1') await seed(stack.gatewayUrl, say);
  process.stdout.write(`\n${stack.table()}\n\nReady: http://localhost:${new URL(stack.gatewayUrl).port}\n\n`);
}

main().catch((err: Error) => {
  // One clear line for the expected failures (port in use, missing binary, bad config).
  process.stderr.write(`\x1b[31m[stack] ${err.message.split('\n')[0]}\x1b[0m\n`);
  process.exit(1);
});
