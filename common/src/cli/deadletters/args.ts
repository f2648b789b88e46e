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
Credentials: NATS_USER (default admin) and NATS_PASSWORD, the operator's (the local stack
keeps them in .state/credentials.json; on a cluster, the nats-credentials Secret). Only the
admin user may read the dead letters and replay them to any subject.

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
  const credentials = env.NATS_PASSWORD ? { user: env.NATS_USER || 'admin', pass: env.NATS_PASSWORD } : undefined;
  return { command: rest.shift(), rest, natsUrl, credentials };
}

export class UsageError extends Error {}

export function seqArg(value: string | undefined): number {
  const seq = Number(value);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError(`expected a dead letter's sequence number, got ${value ?? 'nothing'}`);
  return seq;
}
