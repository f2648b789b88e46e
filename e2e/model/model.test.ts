/**
 * A model-based test of the whole system: several users run random command sequences
 * (fast-check's model-based commands) against the real stack (REPLICAS=2, a 4 s order
 * window) — list, sell and edit tickets with unicode titles and numeric-string prices, order
 * with differently spelled ids, rush a ticket, cancel, pay with good and declined cards,
 * wait past expiry — while a fault sequence SIGKILLs or SIGSTOPs a service replica, NATS,
 * Redis or MongoDB, flushes Redis and publishes invalid events. The model keeps what the
 * system acknowledged; each command checks its answers against it, and after the run the
 * settled system is checked against every invariant (e2e/chaos/invariants.ts).
 *
 * The seed is printed; replay with MODEL_SEED=<n> (and MODEL_PATH=<path> for one counterexample
 * fast-check printed). Sizes and switches: e2e/model/config.ts. Longer runs: `npm run chaos -- --minutes N`.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { uniqueDbName } from '@ticketing/dev-servers';
import { openServiceDatabases, type ServiceDatabases } from '../support/databases';
import { startE2EStack, type E2EStack } from '../support/stack';
import { COMMANDS_PER_USER, MAX_FAULTS, REPLAY_PATH, REPLICAS, RUNS, SEED, STACK_ENV, USERS } from './config';
import { systemProperty } from './property';
import { RealSystem, signUpUsers } from './system';

const prefix = `${uniqueDbName('model')}_`;

describe(`model-based test of the whole system (REPLICAS=${REPLICAS}, seed ${SEED})`, () => {
  let stack: E2EStack | undefined;
  let dbs: ServiceDatabases | undefined;
  let real: RealSystem | undefined;

  beforeAll(async () => {
    process.stdout.write(
      `\n[model] seed ${SEED} (replay with MODEL_SEED=${SEED}), ${RUNS} run(s), ${USERS} users × ≤${COMMANDS_PER_USER} commands, ${MAX_FAULTS} fault commands\n`,
    );
    stack = await startE2EStack({ replicas: REPLICAS, ownMongo: true, env: { ...STACK_ENV, MONGO_DB_PREFIX: prefix } });
    dbs = await openServiceDatabases(stack.infra.mongo.url, prefix);
    real = new RealSystem(stack, await signUpUsers(stack.gatewayUrl, USERS, `model-pw-${randomBytes(8).toString('hex')}`));
  }, 240_000);

  afterAll(async () => {
    await real?.close();
    await dbs?.close();
    await stack?.stop();
  });

  it('keeps every invariant whatever users do and whatever breaks', async () => {
    const details = await fc.check(systemProperty(real!, dbs!), {
      seed: SEED,
      path: REPLAY_PATH,
      numRuns: RUNS,
      endOnFailure: true, // no shrinking: each run drives the real stack for a minute or more
    });
    if (details.failed) {
      process.stdout.write(
        `\n[model] FAILED — seed ${details.seed}, path ${details.counterexamplePath} ` +
          `(replay: MODEL_SEED=${details.seed} MODEL_PATH=${details.counterexamplePath})\n` +
          `[model] counterexample: ${fc.stringify(details.counterexample)}\n`,
      );
    }
    expect(details.errorInstance ?? null).toBeNull();
    expect(details.failed).toBe(false);
  }, 900_000);
});
