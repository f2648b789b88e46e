import {
  AckPolicy,
  DeliverPolicy,
  JSONCodec,
  nanos,
  type ConsumerConfig,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from 'nats';
import { eventSchemas, type EventData, type EventSubject } from '../events/schemas';
import { streamForSubject } from '../events/streams';
import type { Logger } from '../service/logger';
import type { Metrics } from '../service/metrics';
import { isNotFound } from './streams';

const codec = JSONCodec();

/** Thrown by a handler that cannot apply an event yet (e.g. a newer version than expected). */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export interface HandlerContext {
  logger: Logger;
  /** 1 on the first delivery. */
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
  ackWaitMs?: number;
  maxDeliver?: number;
  /** Messages handled at once by one process for one consumer. */
  concurrency?: number;
  /** First retry delay; doubles with each delivery up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
}

export function durableName(service: string, subject: string): string {
  return `${service}-${subject.replace(/[.>*]/g, '-')}`;
}

/**
 * Runs listeners on durable pull consumers, one per (service, subject). Explicit acks;
 * failures are nak'ed with an exponential delay; after maxDeliver deliveries — or at once
 * for a payload that is not valid JSON or does not match its schema — the message is
 * recorded on the DEADLETTER stream and terminated, never spun on.
 */
export class ListenerRunner {
  private readonly running: { messages: ConsumerMessages; done: Promise<void> }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private readonly opts: Required<Omit<ListenerRunnerOptions, 'metrics'>> & { metrics?: Metrics };

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    options: ListenerRunnerOptions,
  ) {
    this.opts = {
      ackWaitMs: 10_000,
      maxDeliver: 20,
      concurrency: 8,
      retryDelayMs: 250,
      maxRetryDelayMs: 30_000,
      ...options,
    };
  }

  consumerConfig(subject: string): Partial<ConsumerConfig> & { durable_name: string } {
    return {
      durable_name: durableName(this.opts.service, subject),
      filter_subject: subject,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.opts.ackWaitMs),
      max_deliver: this.opts.maxDeliver,
      max_ack_pending: 1_000,
    };
  }

  /** Creates (or updates) the durable consumer. Idempotent; safe from every replica. */
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

  async start(listeners: Listener[]): Promise<void> {
    for (const listener of listeners) {
      const durable = await this.ensureConsumer(listener.subject);
      const consumer = await this.js.consumers.get(streamForSubject(listener.subject), durable);
      const messages = await consumer.consume({ max_messages: this.opts.concurrency });
      const done = this.loop(listener, messages);
      this.running.push({ messages, done });
      this.opts.logger.info({ subject: listener.subject, durable }, 'listening');
    }
  }

  private async loop(listener: Listener, messages: ConsumerMessages): Promise<void> {
    const slots = new Set<Promise<void>>();
    for await (const msg of messages) {
      if (this.stopped) {
        msg.nak(); // not ours to finish: another replica (or our restart) takes it
        continue;
      }
      const p = this.handle(listener, msg).finally(() => {
        slots.delete(p);
        this.inFlight.delete(p);
      });
      slots.add(p);
      this.inFlight.add(p);
      if (slots.size >= this.opts.concurrency) await Promise.race(slots);
    }
    await Promise.all(slots);
  }

  private async handle(listener: Listener, msg: JsMsg): Promise<void> {
    const { subject } = listener;
    const deliveries = msg.info.redeliveryCount;
    const logger = this.opts.logger.child({ subject, seq: msg.seq, deliveries });
    const metrics = this.opts.metrics;

    let data: unknown;
    try {
      data = codec.decode(msg.data);
    } catch (err) {
      return this.deadLetter(listener, msg, 'malformed-json', err, logger);
    }
    const parsed = eventSchemas[subject].safeParse(data);
    if (!parsed.success) {
      return this.deadLetter(listener, msg, 'invalid-payload', parsed.error, logger);
    }

    try {
      await listener.handle(parsed.data as never, { logger, deliveries, msg });
      await msg.ackAck();
      metrics?.eventsHandled.inc({ subject, outcome: 'ack' });
      metrics?.eventLag.observe({ subject }, Math.max(0, Date.now() - msg.info.timestampNanos / 1e6) / 1000);
    } catch (err) {
      metrics?.deliveryFailures.inc({ subject });
      if (deliveries >= this.opts.maxDeliver) {
        return this.deadLetter(listener, msg, 'max-deliveries', err, logger);
      }
      const backoff = Math.min(this.opts.retryDelayMs * 2 ** (deliveries - 1), this.opts.maxRetryDelayMs);
      const delay = err instanceof RetryLaterError && err.delayMs !== undefined ? err.delayMs : backoff;
      logger[err instanceof RetryLaterError ? 'info' : 'warn']({ err, delayMs: delay }, 'event not handled, will retry');
      metrics?.eventsHandled.inc({ subject, outcome: 'retry' });
      msg.nak(delay);
    }
  }

  private async deadLetter(listener: Listener, msg: JsMsg, reason: string, err: unknown, logger: Logger): Promise<void> {
    const record = {
      service: this.opts.service,
      durable: durableName(this.opts.service, listener.subject),
      subject: msg.subject,
      streamSequence: msg.info.streamSequence,
      deliveries: msg.info.redeliveryCount,
      reason,
      error: err instanceof Error ? err.message : String(err),
      data: Buffer.from(msg.data).toString('utf8'),
      at: new Date().toISOString(),
    };
    try {
      await this.js.publish(`deadletter.${this.opts.service}.${msg.subject}`, codec.encode(record), {
        msgID: `deadletter:${record.durable}:${record.streamSequence}`,
      });
    } catch (publishErr) {
      // Could not record it: leave it for a redelivery rather than lose it.
      logger.error({ err: publishErr }, 'could not record dead letter; will retry');
      msg.nak(this.opts.maxRetryDelayMs);
      return;
    }
    logger.error({ reason, error: record.error }, 'event dead-lettered');
    this.opts.metrics?.deadLetters.inc({ subject: listener.subject, reason });
    this.opts.metrics?.eventsHandled.inc({ subject: listener.subject, outcome: 'dead-letter' });
    msg.term();
  }

  /** Stops pulling, waits for the handlers under way to finish (and ack). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const { messages } of this.running) messages.stop();
    await Promise.allSettled([...this.inFlight]);
    await Promise.allSettled(this.running.map((r) => r.done));
  }
}
