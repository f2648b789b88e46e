import { answersPing, currentTraceCarrier, inSpan, linkTo, Publisher, serviceHistogram, Subjects, type Logger, type Metrics, type TraceCarrier } from '@ticketing/common';
import Queue from 'bull';

export interface ExpirationJob {
  orderId: string;
  /** The trace that scheduled the expiry (order.created's); the expiry links to it. */
  trace?: TraceCarrier;
}

export interface ExpirationQueueOptions {
  redisUrl: string;
  publisher: Publisher;
  logger: Logger;
  /** Publish attempts per job (EXPIRATION_JOB_ATTEMPTS). */
  attempts: number;
  /** First retry delay; doubles per attempt up to maxRetryDelayMs (EXPIRATION_RETRY_DELAY_MS, EXPIRATION_MAX_RETRY_DELAY_MS). */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /** Jobs run at once by this process (EXPIRATION_CONCURRENCY). */
  concurrency: number;
  /** Bull queue name. Default `order-expiration`. */
  name?: string;
  /** Where expiration_lateness_seconds goes (the service's registry). */
  metrics?: Metrics;
}

/** How late an expiry fires after its due time: Redis, the worker or its publishes falling behind. */
const latenessHistogram = (metrics: Metrics) =>
  serviceHistogram(metrics, {
    name: 'expiration_lateness_seconds',
    help: 'Time from an order expiry being due to its expiration.complete being published',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
  });

/**
 * How long a finished job is kept so that a redelivered order.created finds its id and does
 * not schedule the expiry again (Bull ignores an add whose job id exists in any state). Once
 * removed, the same order.created schedules a new job, due at once: its expiration.complete is
 * dropped by JetStream's dedupe window or, later, ignored by orders (the order is final).
 */
const KEEP_COMPLETED_SECONDS = 60 * 60;

/**
 * Order expirations as delayed Bull jobs in Redis. The job id is the order id, so scheduling
 * the same order twice (a redelivered order.created) keeps the one job. When a job's time
 * comes it publishes expiration.complete (deterministic message id, so a re-run is deduped by
 * JetStream); a failed publish fails the job and Bull retries it with backoff. The jobs live
 * in Redis: a worker restart (or a Redis restart with append-only persistence) keeps them,
 * and a job that became due while no worker ran is promoted as soon as one starts. If Redis
 * loses them (flushed, replaced), a replayed order.created schedules the job again, due at
 * once if its time has passed; orders' expiry sweep cancels what nothing replays.
 */
export class ExpirationQueue {
  readonly queue: Queue.Queue<ExpirationJob>;
  private readonly attempts: number;
  private readonly lateness: ReturnType<typeof latenessHistogram> | undefined;

  constructor(private readonly opts: ExpirationQueueOptions) {
    this.lateness = opts.metrics && latenessHistogram(opts.metrics);
    const base = opts.retryDelayMs;
    const max = opts.maxRetryDelayMs;
    this.attempts = opts.attempts;
    this.queue = new Queue<ExpirationJob>(opts.name ?? 'order-expiration', opts.redisUrl, {
      settings: {
        backoffStrategies: { capped: (attemptsMade: number) => Math.min(base * 2 ** Math.max(0, attemptsMade - 1), max) },
      },
    });
    catchWorkerNaming(this.queue, opts.logger);
    // Without a listener an 'error' (e.g. Redis gone for a moment) would crash the process.
    this.queue.on('error', (err) => opts.logger.warn({ err }, 'expiration queue error (Redis); Bull keeps retrying'));
    this.queue.on('failed', (job, err) =>
      opts.logger.warn({ err, orderId: job.data.orderId, attemptsMade: job.attemptsMade }, 'expiration job failed; will retry'),
    );
    this.queue
      .process(opts.concurrency, (job) => this.expire(job))
      .catch((err: unknown) => opts.logger.error({ err }, 'expiration queue stopped processing'));
  }

  /** Schedules the expiry of `orderId` at `expiresAt` (now if that has passed). Idempotent. */
  async schedule(orderId: string, expiresAt: Date | string): Promise<{ delayMs: number }> {
    const delayMs = Math.max(0, new Date(expiresAt).getTime() - Date.now());
    const trace = currentTraceCarrier();
    await this.queue.add(
      { orderId, ...(trace ? { trace } : {}) },
      {
        jobId: orderId,
        delay: delayMs,
        attempts: this.attempts,
        backoff: { type: 'capped' },
        removeOnComplete: { age: KEEP_COMPLETED_SECONDS },
        removeOnFail: false, // a job that used up its attempts stays visible for operators
      },
    );
    return { delayMs };
  }

  /**
   * An expiry is its own trace (it happens minutes after the purchase attempt, whatever became
   * of it), linked to the trace that scheduled it; expiration.complete and the cancellation
   * it causes continue the expiry's trace.
   */
  private expire(job: Queue.Job<ExpirationJob>): Promise<void> {
    const { orderId, trace } = job.data;
    const options = { root: true, links: linkTo(trace), attributes: { 'ticketing.order_id': orderId, 'ticketing.job_attempt': job.attemptsMade + 1 } };
    return inSpan('expire order', options, undefined, async () => {
      await this.opts.publisher.publish(Subjects.ExpirationComplete, { orderId }, `${Subjects.ExpirationComplete}:${orderId}`);
      this.opts.logger.info({ orderId }, 'order expired: expiration.complete published');
      this.lateness?.observe(Math.max(0, Date.now() - (job.timestamp + (job.opts.delay ?? 0))) / 1000);
    });
  }

  /** True when Redis answers a PING within `timeoutMs` (readiness). */
  ping(timeoutMs = 1_000): Promise<boolean> {
    return answersPing(this.queue.client, timeoutMs);
  }

  /** Stops taking jobs, lets the running ones finish, closes the Redis connections. */
  async close(): Promise<void> {
    // Closed while Bull is still connecting (authenticating) its clients, a late connection
    // rejects with "Connection is closed": wait until they are ready (or failed) first.
    await this.queue.isReady().catch(() => undefined);
    await this.queue.close();
  }
}

/**
 * Bull's process() names its blocking connection (CLIENT SETNAME) without awaiting the
 * command: a worker closed before Redis answers it leaves an unhandled "Connection is
 * closed" rejection, which ends a Node process. Keep Bull's naming, but catch its failure.
 */
function catchWorkerNaming(queue: Queue.Queue<ExpirationJob>, logger: Logger): void {
  const bull = queue as unknown as { setWorkerName(): Promise<void> };
  const setWorkerName = bull.setWorkerName.bind(queue);
  bull.setWorkerName = () =>
    setWorkerName().catch((err: unknown) => logger.debug({ err }, 'expiration worker not named: its connection closed first'));
}
