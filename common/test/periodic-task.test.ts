import { Writable } from 'node:stream';
import pino from 'pino';
import { periodicTask } from '../src';
import { eventually } from '@ticketing/dev-servers';

/** A logger whose lines the test can read. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('periodicTask', () => {
  it('runs a round every interval; a failed round is logged and the next one runs', async () => {
    const { logger, lines } = recordingLogger();
    let rounds = 0;
    const results: number[] = [];
    const task = periodicTask({
      name: 'test sweep',
      intervalSeconds: 0.02,
      logger,
      round: async () => {
        rounds++;
        if (rounds === 2) throw new Error('database away');
        return rounds;
      },
      onRound: (r) => results.push(r),
    });
    task.start();
    await eventually(() => rounds >= 4);
    await task.stop();
    expect(results.slice(0, 2)).toEqual([1, 3]);
    expect(lines.some((l) => l.msg === 'test sweep failed; next round retries')).toBe(true);
  });

  it('stop() waits for the round in progress and tells it to end early; no round starts after', async () => {
    const { logger } = recordingLogger();
    let release!: () => void;
    let sawStopping = false;
    let started = 0;
    const task = periodicTask({
      name: 'slow sweep',
      intervalSeconds: 0.01,
      logger,
      round: async (stopping) => {
        started++;
        await new Promise<void>((r) => (release = r));
        sawStopping = stopping();
      },
    });
    task.start();
    await eventually(() => started === 1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false); // still waiting for the round
    release();
    await stopping;
    expect(sawStopping).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(started).toBe(1);
  });

  it('interval 0 never runs by itself; runOnce runs a round now', async () => {
    const { logger } = recordingLogger();
    let rounds = 0;
    const task = periodicTask({ name: 'manual', intervalSeconds: 0, logger, round: async () => ++rounds });
    task.start();
    await new Promise((r) => setTimeout(r, 50));
    expect(rounds).toBe(0);
    expect(await task.runOnce()).toBe(1);
    await task.stop();
  });
});
