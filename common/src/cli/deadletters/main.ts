#!/usr/bin/env node
import { connect } from 'nats';
import { natsAuthOptions } from '../../nats/connection';
import { getDeadLetter, listDeadLetters, replayDeadLetter, type StoredDeadLetter } from '../../nats/dead-letter-store';
import { HELP, parseArgs, seqArg, UsageError } from './args';
import { deadLetterDetail, deadLetterTable } from './format';

export async function main(argv: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number> {
  const args = parseArgs(argv, env);
  if (!args.command || args.command === 'help' || args.command === '--help' || args.command === '-h') {
    out(HELP);
    return args.command ? 0 : 2;
  }
  if (!['list', 'show', 'replay'].includes(args.command)) throw new UsageError(`unknown command ${args.command}`);
  const nc = await connect({ servers: args.natsUrl.split(','), timeout: 5_000, name: 'deadletters-cli', ...natsAuthOptions(args.credentials) });
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
