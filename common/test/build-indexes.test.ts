import { buildIndexes, createLogger } from '../src';
import { jsonLineSink } from '@ticketing/dev-servers';

/** A logger at info whose JSON lines are collected. */
function capture() {
  const { sink, lines } = jsonLineSink();
  return { logger: createLogger('demo', 'info', sink), lines };
}

/** A build refused `failures` times (as a server refuses one of several concurrent builds), then done. */
function refusedBuild(failures: number) {
  let calls = 0;
  return {
    build: () => {
      calls++;
      return calls <= failures ? Promise.reject(new Error('Unknown error: null')) : Promise.resolve();
    },
    calls: () => calls,
  };
}

describe('buildIndexes: a start-up index build refused by the server is tried again', () => {
  it('succeeds after refused attempts, with one warning per refusal', async () => {
    const { logger, lines } = capture();
    const refused = refusedBuild(2);
    await buildIndexes('demo', refused.build, logger, { attempts: 4, delayMs: 1 });
    expect(refused.calls()).toBe(3);
    const warnings = lines.filter((l) => l.msg === 'demo: index build failed; trying again');
    expect(warnings.map((w) => w.attempt)).toEqual([1, 2]);
    expect(warnings[0].err).toMatchObject({ message: 'Unknown error: null' });
  });

  it('gives up after the last attempt with the server’s error, so the start fails as before', async () => {
    const { logger } = capture();
    const refused = refusedBuild(10);
    await expect(buildIndexes('demo', refused.build, logger, { attempts: 3, delayMs: 1 })).rejects.toThrow('Unknown error: null');
    expect(refused.calls()).toBe(3);
  });
});
