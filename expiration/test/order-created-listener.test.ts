import { durableName, startEventRuntime, type EventRuntime } from '@ticketing/common';
import { eventually, sleep } from '@ticketing/dev-servers';
import { expirationListeners } from '../src/events/listeners';
import { inMs, orderCreated, useWorkerTestEnv } from './support';

let runtime: EventRuntime | undefined;
// Before the env's hooks: stop consuming before the queue closes (hooks run in order).
afterEach(async () => {
  await runtime?.stop();
  runtime = undefined;
});
const env = useWorkerTestEnv();

async function startListener() {
  const queue = env.openQueue();
  runtime = await startEventRuntime({
    service: 'expiration',
    js: env.worker.js,
    jsm: env.worker.jsm,
    logger: env.bus.logger,
    listeners: expirationListeners(queue),
    listenerOptions: { retryDelayMs: 50, ackWaitMs: 2_000 },
  });
  return queue;
}

/** Every order.created so far has been handled and acked by the expiration consumer. */
async function consumerCaughtUp(): Promise<boolean> {
  const info = await env.bus.jsm.consumers.info('ORDERS', durableName('expiration', 'order.created'));
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

describe('order.created → expiry job → expiration.complete', () => {
  it('schedules a job delayed until expiresAt, which publishes expiration.complete', async () => {
    const queue = await startListener();
    const event = orderCreated({ expiresAt: inMs(1_500).toISOString() });
    await env.bus.ownersPublisher.publish('order.created', event);

    const job = await eventually(() => queue.queue.getJob(event.id));
    expect(job.data).toEqual({ orderId: event.id });
    expect(job.opts.delay).toBeGreaterThan(0);
    expect(job.opts.attempts).toBeGreaterThan(1);

    const events = await eventually(async () => ((await env.expirations(event.id)).length ? env.expirations(event.id) : undefined));
    expect(events).toHaveLength(1);
    expect(events[0].msgId).toBe(`expiration.complete:${event.id}`);
  });

  it('a redelivered order.created (stored twice on JetStream) schedules one job', async () => {
    const queue = await startListener();
    const event = orderCreated({ expiresAt: inMs(60 * 60_000).toISOString() });
    const publisher = env.bus.ownersPublisher;
    // Two different message ids, so JetStream's dedupe does not hide the second copy.
    await publisher.publish('order.created', event, 'copy-1');
    await publisher.publish('order.created', event, 'copy-2');
    await eventually(consumerCaughtUp);

    const jobs = (await queue.queue.getJobs(['delayed', 'waiting', 'active', 'completed', 'failed'])).filter(
      (j) => j.data.orderId === event.id,
    );
    expect(jobs).toHaveLength(1);
    expect(await jobs[0].getState()).toBe('delayed');
  });

  it('Redis lost the job (FLUSHALL): the order.created replayed re-creates it, and a job already due fires at once', async () => {
    const queue = await startListener();
    const event = orderCreated({ expiresAt: inMs(2_000).toISOString() });
    const publisher = env.bus.ownersPublisher;
    await publisher.publish('order.created', event, 'first');
    await eventually(() => queue.queue.getJob(event.id));
    await env.flushRedis();
    expect(await queue.queue.getJob(event.id)).toBeNull();
    await sleep(2_500); // the order is now past its expiry, with no job anywhere
    expect(await env.expirations(event.id)).toEqual([]);

    await publisher.publish('order.created', event, 'replayed');
    const job = await eventually(() => queue.queue.getJob(event.id));
    expect(job.opts.delay).toBe(0);
    await eventually(async () => (await env.expirations(event.id)).length === 1);
  });
});

describe("Bull's job ids: what a repeated order.created does after the job ran", () => {
  it('completed and kept: nothing runs again; completed and removed: a new job runs, and JetStream drops its duplicate event', async () => {
    const queue = env.openQueue();
    const event = orderCreated({ expiresAt: new Date(Date.now() - 1_000).toISOString() });
    await queue.schedule(event.id, event.expiresAt);
    const done = await eventually(async () => {
      const job = await queue.queue.getJob(event.id);
      return job && (await job.getState()) === 'completed' ? job : undefined;
    });

    await queue.schedule(event.id, event.expiresAt);
    const kept = (await queue.queue.getJob(event.id))!;
    expect(await kept.getState()).toBe('completed');
    expect(kept.finishedOn).toBe(done.finishedOn);

    await kept.remove();
    await queue.schedule(event.id, event.expiresAt);
    await eventually(async () => {
      const again = await queue.queue.getJob(event.id);
      return again && (await again.getState()) === 'completed' && again.finishedOn !== done.finishedOn;
    });
    expect(await env.expirations(event.id)).toHaveLength(1);
  });
});
