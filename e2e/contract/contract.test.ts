import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomObjectId, signin } from '@ticketing/dev-servers';
import { startE2EStack, type E2EStack } from '../support/stack';
import { REPORTS, runSchemathesis, SCHEMATHESIS } from './run-schemathesis';

/** Bounded for CI: a few dozen requests per operation (CONTRACT_MAX_EXAMPLES, CONTRACT_SEED to explore). */
const MAX_EXAMPLES = Number(process.env.CONTRACT_MAX_EXAMPLES ?? 25);
const SEED = Number(process.env.CONTRACT_SEED ?? 16);

/** Each service's published document, as its own replica serves it. */
const DOCUMENTS = [
  { service: 'auth', path: '/api/users/openapi.json', maxExamples: MAX_EXAMPLES, requestTimeoutSeconds: 30 },
  { service: 'tickets', path: '/api/tickets/openapi.json', maxExamples: MAX_EXAMPLES, requestTimeoutSeconds: 30 },
  { service: 'orders', path: '/api/orders/openapi.json', maxExamples: MAX_EXAMPLES, requestTimeoutSeconds: 30 },
  { service: 'payments', path: '/api/payments/openapi.json', maxExamples: MAX_EXAMPLES, requestTimeoutSeconds: 30 },
  // The event stream never ends: each request reads it until the timeout, so fewer of them.
  { service: 'live', path: '/api/live/openapi.json', maxExamples: 5, requestTimeoutSeconds: 10 },
];

/**
 * The published documents describe the API exactly: schemathesis generates requests from each
 * service's OpenAPI document (valid ones, invalid ones, undeclared methods, missing sessions)
 * and runs every check on the answers (status codes and bodies as documented, invalid data
 * refused, valid data accepted, 405 with Allow, no 5xx). Straight to each service: the edge
 * (nginx) refuses TRACE itself, before any service can say which methods a path has.
 */
describe('contract: the OpenAPI documents against the running services (schemathesis, all checks)', () => {
  let stack: E2EStack;
  let session: string;

  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) throw new Error(`schemathesis is missing at ${SCHEMATHESIS}: run infra/scripts/prepare.sh test`);
    stack = await startE2EStack();
    // A signed-in user of this stack: its session goes wherever an operation declares the session scheme.
    session = signin({ id: randomObjectId() }, { pair: stack.sessionKeys, expiresInSeconds: 3600 })[0].replace(/^session=/, '');
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it.each(DOCUMENTS)('$service: 0 failures', async ({ service, path, maxExamples, requestTimeoutSeconds }) => {
    const run = await runSchemathesis({ baseUrl: stack.urlOf(`${service}-1`), documentPath: path, session, maxExamples, seed: SEED, requestTimeoutSeconds });
    mkdirSync(REPORTS, { recursive: true });
    writeFileSync(join(REPORTS, `${service}.txt`), run.output);
    // One line when it passes: schemathesis's own summary imitates pytest's ("== 2 warnings in
    // 2.85s =="), and a CI log reader takes such a line for a pytest run that ran no test.
    process.stdout.write(`[contract] ${service}: ${run.testCases} (seed ${SEED}, ${maxExamples} examples per operation; report in test-output/contract/${service}.txt)\n`);
    if (run.code !== 0) process.stdout.write(`${run.output.slice(-20_000)}\n`);
    expect(run.summary).not.toMatch(/^(Failures|Errors):/m);
    expect(run.code).toBe(0);
  }, 600_000);
});
