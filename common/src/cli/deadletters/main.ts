#!/usr/bin/env node
import { connect } from 'nats';
import { getDeadLetter, listDeadLetters, replayDeadLetter, type StoredDeadLetter } from '../../nats/dead-letter-store';
import { deadLetterDetail, deadLetterTable } from './format';

export const HELP = `Usage: npm run deadletters -- <command> [--nats-url URL]

Commands
  list                 every dead letter still stored: seq, time, service, subject, reason, error
  show <seq>           one dead letter: the record and its original payload, decoded
  replay <seq>         publish the original payload again to its original subject, then
                       delete the dead letter
  replay --all         replay every stored dead letter, oldest first

NATS: --nats-url, else NATS_URL, else nats://127.0.0.1:4222 (the local stack). For a
cluster, port-forward its NATS first (kubectl port-forward svc/nats 4222).

A replay goes to every consumer of the subject, not only the service that gave up (with a
new message id, so the stream does not drop it as a duplicate). That is safe: every
handler applies an event by its version, and acks one it already has without change.
A replayed message that fails again is dead-lettered again.`;

interface Args {
  command?: string;
  rest: string[];
  natsUrl: string;
}

function parseArgs(argv: string[], env: NodeJS.ProcessEnv): Args {
  const rest: string[] = [];
  let natsUrl = env.NATS_URL || 'nats://127.0.0.1:4222';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--nats-url') natsUrl = argv[++i] ?? '';
    else if (argv[i].startsWith('--nats-url=')) natsUrl = argv[i].slice('--nats-url='.length);
    else rest.push(argv[i]);
  }
  return { command: rest.shift(), rest, natsUrl };
}

class UsageError extends Error {}

function seqArg(value: string | undefined): number {
  const seq = Number(value);
  if (!Number.isSafeInteger(seq) || seq < 1) throw new UsageError(`expected a dead letter's sequence number, got ${value ?? 'nothing'}`);
  return seq;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, env);
  if (!args.command || args.command === 'help' || args.command === '--help' || args.command === '-h') {
    out(HELP);
    return args.command ? 0 : 2;
  }
  if (!['list', 'show', 'replay'].includes(args.command)) throw new UsageError(`unknown command ${args.command}`);
  const nc = await connect({ servers: args.natsUrl.split(','), timeout: 5_000, name: 'deadletters-cli' });
  try {
    const jsm = await nc.jetstreamManager();
    if (args.command === 'list') {
      out(deadLetterTable(await listDeadLetters(jsm)));
      return 0;
    }
    let letters: StoredDeadLetter[];
    if (args.command === 'replay' && args.rest[0] === '--all') {
      letters = await listDeadLetters(jsm);
    } else {
      const seq = seqArg(args.rest[0]);
      const letter = await getDeadLetter(jsm, seq);
      if (!letter) {
        out(`No dead letter ${seq}.`);
        return 1;
      }
      letters = [letter];
    }
    if (args.command === 'show') {
      out(deadLetterDetail(letters[0]));
      return 0;
    }
    const js = nc.jetstream();
    for (const letter of letters) {
      const newSeq = await replayDeadLetter(js, jsm, letter);
      out(`replayed dead letter ${letter.seq} to ${letter.record.subject} (stream seq ${newSeq}); dead letter deleted`);
    }
    if (letters.length === 0) out('No dead letters.');
    return 0;
  } finally {
    await nc.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`deadletters: ${err.message}\n${err instanceof UsageError ? `\n${HELP}\n` : ''}`);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
