import { SpanKind, trace } from '@opentelemetry/api';
import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  nanos,
  type Consumer,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from 'nats';
import { eventSchemas, type EventData, type EventSubject } from '../events/schemas';
import { streamForSubject } from '../events/streams';
import type { Logger, Metrics } from '../telemetry';
import { contextFromHeaders, inSpan, markFailed } from '../telemetry/trace-context';
import { cappedBackoff } from './backoff';
import { deadLetterRecord, publishDeadLetter, type DeadLetterReason } from './dead-letter';
import { FailureCounts } from './failure-counts';
import { classifyFailure, RetryLaterError, type FailureKind } from './failure-kind';
import { isNotFound, isStreamNotFound } from './streams';

const codec = JSONCodec();

/** One log message for every retry (its `kind` says why), so operators grep one line. */
const RETRY_MESSAGE = 'event not handled, will retry';

export interface HandlerContext {
  logger: Logger;
  /** 1 on the first delivery (server-side count: includes retries that were not counted). */
  deliveries: number;
  msg: JsMsg;
}

export interface Listener<S extends EventSubject = EventSubject> {
  subject: S;
  handle(data: EventData<S>, ctx: HandlerContext): Promise<void>;
}

/** Typed helper so that `handle` receives the payload type of its subject. */
export function defineListener<S extends EventSubject>(listener: Listener<S>): Listener<S> {
  return listener;
}

export interface ListenerRunnerOptions {
  /** Service name: the durable consumer is `<service>-<subject>`, shared by all replicas. */
  service: string;
  logger: Logger;
  metrics?: Metrics;
  /** The server redelivers a message neither acked nor kept alive within this. */
  ackWaitMs?: number;
  /** Handler failures of one message that count (see failure-kind.ts) before it is dead-lettered. */
  maxHandlerFailures?: number;
  /** Messages handled at once by one process for one consumer. */
  concurrency?: number;
  /** First retry delay; doubles with each retry up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** A handler still running after this stops being kept alive: nak'ed, retried as an outage. */
  handlerTimeoutMs?: number;
  /** How long one pull request waits for messages; an idle consumer re-pulls this often. */
  pullExpiresMs?: number;
  /** Messages whose counted failures are remembered at once (least recently failed are forgotten). */
  failureMemory?: number;
}

type Options = Required<Omit<ListenerRunnerOptions, 'metrics'>> & { metrics?: Metrics };

export function durableName(service: string, subject: string): string {
  return `${service}-${subject.replace(/[.>*]/g, '-')}`;
}

/** One listener's pull loop state. */
interface Lane {
  listener: Listener;
  durable: string;
  slots: Set<Promise<void>>;
  /** Until when pulling is paused because a dependency just failed (epoch ms). */
  pausedUntil: number;
  /** Infrastructure failures in a row; 0 after a success. */
  outageStreak: number;
  batch?: ConsumerMessages;
  /** Wakes the loop early (a slot freed, stop()). */
  wake: () => void;
  done?: Promise<void>;
}

/** `late`: settles when a timed-out handler finally returns. */
type Outcome = { ok: true } | { ok: false; err: unknown } | { timedOut: true; late: Promise<unknown> };

/**
 * Runs listeners on durable pull consumers, one per (service, subject), explicit acks.
 *
 * Dead letters are only for messages that can never succeed. A failure is classified
 * (failure-kind.ts): a payload that is not JSON or fails its schema is dead-lettered at once;
 * other "poison" failures count, per message, and after maxHandlerFailures the message is
 * dead-lettered. "Not yet" (RetryLaterError) and infrastructure failures (MongoDB, Redis,
 * NATS, a handler over its time limit) never count: they are retried for as long as it takes
 * with capped backoff. The consumers therefore have no server-side delivery limit
 * (max_deliver -1): the server never drops a message on its own.
 *
 * A dead letter is recorded on the DEADLETTER stream before the message is terminated; if
 * recording fails the message is nak'ed and tried again, so it is never lost.
 */
export class ListenerRunner {
  private readonly lanes: Lane[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly failures: FailureCounts;
  private stopped = false;
  private readonly opts: Options;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    options: ListenerRunnerOptions,
  ) {
    this.opts = {
      ackWaitMs: 10_000,
      maxHandlerFailures: 20,
      concurrency: 8,
      retryDelayMs: 250,
      maxRetryDelayMs: 30_000,
      handlerTimeoutMs: 5 * 60_000,
      pullExpiresMs: 5_000,
      failureMemory: 10_000,
      ...options,
    };
    this.failures = new FailureCounts(this.opts.failureMemory);
  }

  consumerConfig(subject: string): Partial<ConsumerConfig> & { durable_name: string } {
    return {
      durable_name: durableName(this.opts.service, subject),
      filter_subject: subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.opts.ackWaitMs),
      // Unlimited: the runner decides what is given up on (and records it first).
      max_deliver: -1,
      max_ack_pending: 1_000,
    };
  }

  /** Creates (or updates, e.g. an old max_deliver) the durable consumer. Idempotent; safe from every replica. */
  async ensureConsumer(subject: string): Promise<string> {
    const stream = streamForSubject(subject);
    const config = this.consumerConfig(subject);
    try {
      await this.jsm.consumers.info(stream, config.durable_name);
      await this.jsm.consumers.update(stream, config.durable_name, config);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await this.jsm.consumers.add(stream, config);
    }
    return config.durable_name;
  }

  /**
   * Waits while the listener's stream does not exist yet: its owner creates it when it starts
   * (ensureServiceStreams), and this service may not.
   */
  private async ensureConsumerOnceStreamExists(subject: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.ensureConsumer(subject);
      } catch (err) {
        if (!isStreamNotFound(err) || this.stopped) throw err;
        if (attempt === 1) {
          this.opts.logger.warn({ subject, stream: streamForSubject(subject) }, 'waiting for the stream (its owning service creates it)');
        }
        await new Promise((r) => setTimeout(r, cappedBackoff(attempt, this.opts.retryDelayMs, 2_000)));
      }
    }
  }

  async start(listeners: Listener[]): Promise<void> {
    for (const listener of listeners) {
      const durable = await this.ensureConsumerOnceStreamExists(listener.subject);
      const consumer = await this.js.consumers.get(streamForSubject(listener.subject), durable);
      const lane: Lane = { listener, durable, slots: new Set(), pausedUntil: 0, outageStreak: 0, wake: () => undefined };
      lane.done = this.loop(lane, consumer);
      this.lanes.push(lane);
      this.opts.logger.info({ subject: listener.subject, durable }, 'listening');
    }
  }

  /**
   * Pulls only as many messages as there are free slots (a message is never held unstarted
   * while its ack_wait runs), and none while the lane is paused after an outage. Pausing the
   * pull, rather than taking messages and nak'ing them, leaves the backlog on the server for
   * other replicas and does not hammer a dependency that just failed; after the pause one
   * message at a time probes it until one succeeds.
   */
  private async loop(lane: Lane, consumer: Consumer): Promise<void> {
    const { logger } = this.opts;
    let pullFailures = 0;
    while (!this.stopped) {
      const waitMs = Math.max(0, lane.pausedUntil - Date.now());
      // During an outage (a failure not yet followed by a success) one message probes at a time.
      const probing = lane.outageStreak > 0;
      const busy = probing ? lane.slots.size > 0 : lane.slots.size >= this.opts.concurrency;
      if (waitMs > 0 || busy) {
        await this.sleepUntilWoken(lane, waitMs || this.opts.pullExpiresMs);
        continue;
      }
      const free = this.opts.concurrency - lane.slots.size;
      try {
        lane.batch = await consumer.fetch({ max_messages: probing ? 1 : free, expires: this.opts.pullExpiresMs });
        for await (const msg of lane.batch) this.dispatch(lane, msg);
        pullFailures = 0;
      } catch (err) {
        if (this.stopped) break;
        pullFailures++;
        logger.warn({ err, subject: lane.listener.subject }, 'pulling messages failed; retrying');
        await this.sleepUntilWoken(lane, cappedBackoff(pullFailures, this.opts.retryDelayMs, this.opts.maxRetryDelayMs));
      } finally {
        lane.batch = undefined;
      }
    }
    await Promise.allSettled([...lane.slots]);
  }

  private sleepUntilWoken(lane: Lane, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      lane.wake = done;
    });
  }

  private dispatch(lane: Lane, msg: JsMsg): void {
    const pausedFor = lane.pausedUntil - Date.now();
    if (this.stopped || pausedFor > 0) {
      // Arrived on a pull made before the stop or the outage: give it back untouched.
      this.nak(msg, this.stopped ? undefined : pausedFor);
      return;
    }
    const p = this.handle(lane, msg).finally(() => {
      lane.slots.delete(p);
      this.inFlight.delete(p);
      if (!lane.batch) lane.wake(); // a slot is free: pull again without waiting out the sleep
    });
    lane.slots.add(p);
    this.inFlight.add(p);
  }

  /**
   * Handles one delivery in a "process" span, child of the trace context the message carries
   * (the publisher's span): the trace goes on through the handler's own writes and publishes.
   */
  private handle(lane: Lane, msg: JsMsg): Promise<void> {
    const { subject } = lane.listener;
    const attributes = {
      'messaging.system': 'nats',
      'messaging.destination.name': subject,
      'messaging.consumer.group.name': lane.durable,
      'messaging.message.id': msg.headers?.get('Nats-Msg-Id') ?? '',
      'messaging.nats.delivery_count': msg.info.redeliveryCount,
    };
    return inSpan(`process ${subject}`, { kind: SpanKind.CONSUMER, attributes }, contextFromHeaders(msg.headers), () => this.handleDelivery(lane, msg));
  }

  private async handleDelivery(lane: Lane, msg: JsMsg): Promise<void> {
    const { subject } = lane.listener;
    const deliveries = msg.info.redeliveryCount;
    const logger = this.opts.logger.child({ subject, seq: msg.seq, deliveries });
    const metrics = this.opts.metrics;

    let data: unknown;
    try {
      data = codec.decode(msg.data);
    } catch (err) {
      return this.deadLetter(lane, msg, 'malformed-json', err, 0, logger);
    }
    const parsed = eventSchemas[subject].safeParse(data);
    if (!parsed.success) {
      return this.deadLetter(lane, msg, 'invalid-payload', parsed.error, 0, logger);
    }

    const key = `${lane.durable}:${msg.info.streamSequence}`;
    const outcome = await this.runHandler(lane, msg, parsed.data, logger);
    if ('ok' in outcome && outcome.ok) {
      this.failures.clear(key);
      lane.outageStreak = 0;
      try {
        await msg.ackAck();
      } catch (err) {
        // Handled but the ack was lost (NATS down): it comes back and is applied as a duplicate.
        logger.warn({ err }, 'could not ack a handled event; it will be redelivered');
        return;
      }
      metrics?.eventsHandled.inc({ subject, outcome: 'ack' });
      metrics?.eventLag.observe({ subject }, Math.max(0, Date.now() - msg.info.timestampNanos / 1e6) / 1000);
      return;
    }

    const timedOut = 'timedOut' in outcome;
    const err = timedOut ? undefined : (outcome as { err: unknown }).err;
    const kind: FailureKind = timedOut ? 'infrastructure' : classifyFailure(err);
    const span = trace.getActiveSpan();
    if (span) {
      span.setAttribute('ticketing.failure_kind', kind);
      if (kind !== 'not-yet') markFailed(span, timedOut ? new Error('handler over its time limit') : err);
    }
    metrics?.deliveryFailures.inc({ subject, kind });

    // The handler reached its dependencies (or failed before needing them): any outage is over.
    if (kind !== 'infrastructure') lane.outageStreak = 0;
    if (kind === 'poison') {
      const failures = this.failures.increment(key);
      if (failures >= this.opts.maxHandlerFailures) {
        return this.deadLetter(lane, msg, 'handler-failed', err, failures, logger);
      }
      const delayMs = cappedBackoff(failures, this.opts.retryDelayMs, this.opts.maxRetryDelayMs);
      logger.warn({ err, kind, failures, delayMs }, RETRY_MESSAGE);
      return this.retry(lane, msg, delayMs);
    }
    if (kind === 'not-yet') {
      const delayMs =
        err instanceof RetryLaterError && err.delayMs !== undefined
          ? Math.min(err.delayMs, this.opts.maxRetryDelayMs)
          : cappedBackoff(deliveries, this.opts.retryDelayMs, this.opts.maxRetryDelayMs);
      logger.info({ err, kind, delayMs }, RETRY_MESSAGE);
      return this.retry(lane, msg, delayMs);
    }
    // Infrastructure: one pause per outage window, growing while the outage lasts.
    const now = Date.now();
    if (lane.pausedUntil <= now) {
      lane.outageStreak++;
      lane.pausedUntil = now + cappedBackoff(lane.outageStreak, this.opts.retryDelayMs, this.opts.maxRetryDelayMs);
    }
    const delayMs = lane.pausedUntil - now;
    if (!timedOut) {
      logger.warn({ err, kind, delayMs, pausedMs: delayMs, outageStreak: lane.outageStreak }, RETRY_MESSAGE);
      return this.retry(lane, msg, delayMs);
    }
    logger.error({ kind, timeoutMs: this.opts.handlerTimeoutMs, delayMs, pausedMs: delayMs }, `${RETRY_MESSAGE} (handler over its time limit)`);
    this.retry(lane, msg, delayMs);
    // The message goes back now, but the slot stays taken until the stuck handler returns: a
    // hung dependency must not be given more work by this process.
    await (outcome as { late: Promise<unknown> }).late;
  }

  /**
   * Runs the handler, keeping the message ours (`working()` every ack_wait/2) so a slow
   * handler — e.g. MongoDB frozen, the driver just waiting — is not redelivered to another
   * handler meanwhile; up to handlerTimeoutMs, after which the delivery is given up
   * (the handler may still finish: its writes are idempotent by version).
   */
  private async runHandler(lane: Lane, msg: JsMsg, data: unknown, logger: Logger): Promise<Outcome> {
    const keepAlive = setInterval(() => {
      try {
        msg.working();
      } catch {
        // connection closed: the message comes back after ack_wait
      }
    }, Math.max(100, Math.floor(this.opts.ackWaitMs / 2)));
    const run = lane.listener
      .handle(data as never, { logger, deliveries: msg.info.redeliveryCount, msg })
      .then((): Outcome => ({ ok: true }), (err: unknown): Outcome => ({ ok: false, err }));
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Outcome>((resolve) => {
      const late = run.then((outcome) => logger.warn({ outcome }, 'event handler finished after its time limit'));
      timer = setTimeout(() => resolve({ timedOut: true, late }), this.opts.handlerTimeoutMs);
    });
    try {
      return await Promise.race([run, deadline]);
    } finally {
      clearInterval(keepAlive);
      clearTimeout(timer);
    }
  }

  private retry(lane: Lane, msg: JsMsg, delayMs: number): void {
    this.opts.metrics?.eventsHandled.inc({ subject: lane.listener.subject, outcome: 'retry' });
    this.nak(msg, delayMs);
  }

  private nak(msg: JsMsg, delayMs?: number): void {
    try {
      msg.nak(delayMs);
    } catch {
      // connection closed: the message comes back after ack_wait anyway
    }
  }

  private async deadLetter(
    lane: Lane,
    msg: JsMsg,
    reason: DeadLetterReason,
    err: unknown,
    failures: number,
    logger: Logger,
  ): Promise<void> {
    const { subject } = lane.listener;
    const record = deadLetterRecord(msg, { service: this.opts.service, durable: lane.durable, failures, reason, error: err });
    try {
      await publishDeadLetter(this.js, record);
    } catch (publishErr) {
      // Not recorded: keep the message (no delivery limit, so it comes back) and try again.
      const delayMs = cappedBackoff(msg.info.redeliveryCount, this.opts.retryDelayMs, this.opts.maxRetryDelayMs);
      logger.error({ err: publishErr, delayMs }, 'could not record a dead letter; will retry');
      return this.nak(msg, delayMs);
    }
    this.failures.clear(`${lane.durable}:${msg.info.streamSequence}`);
    const span = trace.getActiveSpan();
    if (span) {
      span.setAttribute('ticketing.dead_letter_reason', reason);
      markFailed(span, err);
    }
    logger.error({ reason, error: record.error, failures }, 'event dead-lettered');
    this.opts.metrics?.deadLetters.inc({ subject, reason });
    this.opts.metrics?.eventsHandled.inc({ subject, outcome: 'dead-letter' });
    msg.term();
  }

  /** Stops pulling, waits for the handlers under way to finish (and ack). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const lane of this.lanes) {
      lane.batch?.stop();
      lane.wake();
    }
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled(this.lanes.flatMap((l) => (l.done ? [l.done] : [])));
  }
}
