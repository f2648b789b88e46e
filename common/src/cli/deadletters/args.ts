import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The command line of `npm run deadletters`: usage text and argument parsing. */
export const HELP = `Usage: npm run deadletters -- <command> [--nats-url URL]

Commands
  list                 every dead letter still stored: seq, time, service, subject, reason, error
  show <seq>           one dead letter: the record and its original payload, decoded
  replay <seq>         publish the original payload again to its original subject, then
                       delete the dead letter
  replay --all         replay every stored dead letter, oldest first

NATS: --nats-url, else NATS_URL, else nats://127.0.0.1:4222 (the local stack). For a
cluster, port-forward its NATS first (kubectl port-forward svc/nats-srv 4222:4222).
Credentials: NATS_USER (default admin) and NATS_PASSWORD, the operator's; without them, the
local stack's admin password from .state/credentials.json (or STATE_DIR). On a cluster: the
nats-credentials Secret's NATS_PASSWORD_ADMIN. Only the admin user may read the dead letters
and replay them to any subject.

A replay goes to every consumer of the subject, not only the service that gave up (with a
new message id, so the stream does not drop it as a duplicate). That is safe: every
handler applies an event by its version, and acks one it already has without change.
A replayed message that fails again is dead-lettered again.`;

export interface Args {
  command?: string;
  rest: string[];
  natsUrl: string;
  credentials?: { user: string; pass: string };
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args {
  const rest: string[] = [];
  let natsUrl = env.NATS_URL || 'nats://127.0.0.1:4222';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--nats-url') natsUrl = argv[++i] ?? '';
    else if (argv[i].startsWith('--nats-url=')) natsUrl = argv[i].slice('--nats-url='.length);
    else rest.push(argv[i]);
  }
  const credentials = env.NATS_PASSWORD ? { user: env.NATS_USER || 'admin', pass: env.NATS_PASSWORD } : localStackAdmin(env);
  return { command: rest.shift(), rest, natsUrl, credentials };
}

/** The local stack's NATS admin (infra/local keeps generated passwords in <state>/credentials.json), if any. */
function localStackAdmin(env: NodeJS.ProcessEnv): { user: string; pass: string } | undefined {
  const file = path.resolve(env.STATE_DIR || '.state', 'credentials.json');
  if (!existsSync(file)) return undefined;
  const pass = (JSON.parse(readFileSync(file, 'utf8')) as { nats?: { admin?: string } }).nats?.admin;
  return pass ? { user: 'admin', pass } : undefined;
}

export class UsageError extends Error {}

export function seqArg(value: string | undefined): number {
  const seq = Number(value);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError(`expected a dead letter's sequence number, got ${value ?? 'nothing'}`);
  return seq;
}
