import { createMetrics } from '@ticketing/common';
import { eventually, randomObjectId, sleep } from '@ticketing/dev-servers';
import { inMs, useWorkerTestEnv } from './support';

const env = useWorkerTestEnv();

describe('ExpirationQueue (Bull on a real Redis, publishing to a real JetStream)', () => {
  it('publishes expiration.complete when the order expires, with a deterministic message id', async () => {
    const queue = env.openQueue();
    const orderId = randomObjectId();
    const { delayMs } = await queue.schedule(orderId, inMs(1_000));
    expect(delayMs).toBeGreaterThan(0);
    const job = await queue.queue.getJob(orderId);
    expect(await job!.getState()).toBe('delayed');
    expect(await env.expirations(orderId)).toEqual([]);

    const events = await eventually(async () => ((await env.expirations(orderId)).length ? env.expirations(orderId) : undefined));
    expect(events).toEqual([expect.objectContaining({ msgId: `expiration.complete:${orderId}`, data: { orderId } })]);
  });

  it('records how late each expiry fired in expiration_lateness_seconds', async () => {
    const metrics = createMetrics('expiration', { defaults: false });
    const queue = env.openQueue({ metrics });
    const orderId = randomObjectId();
    await queue.schedule(orderId, inMs(300));
    await eventually(async () => (await env.expirations(orderId)).length === 1);
    const histogram = await eventually(async () => {
      // A histogram's values name their series (_bucket, _sum, _count).
      const values = (await metrics.registry.getSingleMetric('expiration_lateness_seconds')!.get()).values as { metricName?: string; value: number }[];
      const count = values.find((v) => v.metricName === 'expiration_lateness_seconds_count')?.value;
      return count === 1 ? values : undefined;
    });
    const sum = histogram.find((v) => v.metricName === 'expiration_lateness_seconds_sum')!.value;
    expect(sum).toBeGreaterThanOrEqual(0);
  });

  it('an expiry already in the past is scheduled with no delay and fires at once', async () => {
    const queue = env.openQueue();
    const orderId = randomObjectId();
    expect(await queue.schedule(orderId, new Date(Date.now() - 60_000).toISOString())).toEqual({ delayMs: 0 });
    await eventually(async () => (await env.expirations(orderId)).length === 1);
  });

  it('scheduling the same order twice keeps one job', async () => {
    const queue = env.openQueue();
    const orderId = randomObjectId();
    await queue.schedule(orderId, inMs(60_000));
    await queue.schedule(orderId, inMs(60_000));
    const jobs = (await queue.queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter((j) => j.data.orderId === orderId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].id).toBe(orderId);
  });

  it('survives a worker restart: the job is in Redis and the next worker runs it', async () => {
    const first = env.openQueue();
    const orderId = randomObjectId();
    await first.schedule(orderId, inMs(1_500));
    await first.close(); // the worker goes away before the order is due

    env.openQueue(); // its replacement
    await eventually(async () => (await env.expirations(orderId)).length === 1);
  });

  it('an order that became due while no worker ran is expired as soon as a worker starts', async () => {
    const first = env.openQueue();
    const orderId = randomObjectId();
    await first.schedule(orderId, inMs(200));
    await first.close();
    await sleep(1_000); // well past due, with no worker running
    expect(await env.expirations(orderId)).toEqual([]);

    env.openQueue();
    await eventually(async () => (await env.expirations(orderId)).length === 1);
  });

  it('a worker closed right after it starts leaves no unhandled rejection behind (Bull names its blocking connection without awaiting)', async () => {
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', record);
    try {
      for (let i = 0; i < 30; i++) {
        const queue = env.openQueue();
        await queue.schedule(randomObjectId(), inMs(60_000));
        await queue.close();
      }
      await sleep(200); // a late rejection surfaces on a later tick
    } finally {
      process.off('unhandledRejection', record);
    }
    expect(rejections).toEqual([]);
  });

  it('keeps a scheduled job across a Redis restart (append-only file) and the running worker still fires it', async () => {
    const queue = env.openQueue();
    const orderId = randomObjectId();
    await queue.schedule(orderId, inMs(2_000));
    await env.redis.stop();
    expect(await queue.ping(300)).toBe(false); // readiness sees Redis gone
    await env.redis.start();
    await eventually(() => queue.ping());
    expect(await (await queue.queue.getJob(orderId))?.getState()).toMatch(/delayed|waiting|active|completed/);

    await eventually(async () => (await env.expirations(orderId)).length === 1, { timeoutMs: 30_000 });
  });

  it('a failed publish fails the job and Bull retries it until JetStream takes the event', async () => {
    const queue = env.openQueue();
    const orderId = randomObjectId();
    await env.nats.stop();
    try {
      await queue.schedule(orderId, inMs(0));
      await eventually(async () => ((await queue.queue.getJob(orderId))?.attemptsMade ?? 0) >= 1, { timeoutMs: 30_000 });
    } finally {
      await env.nats.start();
    }
    await eventually(async () => (await env.expirations(orderId)).length === 1, { timeoutMs: 30_000 });
  });
});
