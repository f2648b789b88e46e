import { runService } from '@ticketing/common';
import { expirationConfigSchema } from './config';
import { expirationWorker } from './worker';

void runService({ name: 'expiration', mongo: false, config: expirationConfigSchema, build: expirationWorker }).catch((err: unknown) => {
  process.stderr.write(`expiration: failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
