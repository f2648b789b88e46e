import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics every service exposes at /metrics. One registry per process. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Age of an event (publish → handled) per subject: replication lag. */
  eventLag: Histogram<'subject'>;
  eventsHandled: Counter<'subject' | 'outcome'>;
  /** kind: poison (counts toward the dead-letter budget), not-yet, infrastructure. */
  deliveryFailures: Counter<'subject' | 'kind'>;
  deadLetters: Counter<'subject' | 'reason'>;
  outboxPublished: Counter<'subject'>;
  /**
   * Where the DEADLETTER stream's message count comes from, read at scrape time (one stream
   * info request). Until set, or when it does not answer quickly, the last value is kept.
   */
  countDeadLettersWith(source: () => Promise<number>): void;
  /** Where the outbox backlog (documents with unpublished entries) comes from, read at scrape time like the dead letters. */
  countOutboxBacklogWith(source: () => Promise<number>): void;
}

/** A scrape must stay fast while NATS or MongoDB is down: past this a counted gauge keeps its last value. */
const DEAD_LETTER_READ_TIMEOUT_MS = 1_000;

export function createMetrics(service: string, { defaults = true } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaults) collectDefaultMetrics({ register: registry });
  const sources: { deadLetters?: () => Promise<number>; outboxBacklog?: () => Promise<number> } = {};
  const countedAtScrape = (name: string, help: string, source: keyof typeof sources) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const read = sources[source];
        if (!read) return;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), DEAD_LETTER_READ_TIMEOUT_MS)));
        const count = await Promise.race([read().catch(() => undefined), late]);
        clearTimeout(timer);
        if (count !== undefined) this.set(count);
      },
    });
  countedAtScrape('event_dead_letters_stored', 'Messages on the DEADLETTER stream now (every service; replayed ones are removed)', 'deadLetters');
  countedAtScrape('outbox_backlog_documents', 'Documents whose outbox entries are not yet published (the relay empties it)', 'outboxBacklog');
  return {
    registry,
    countDeadLettersWith: (source) => {
      sources.deadLetters = source;
    },
    countOutboxBacklogWith: (source) => {
      sources.outboxBacklog = source;
    },
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    eventLag: new Histogram({
      name: 'event_handling_lag_seconds',
      help: 'Time from an event being stored on JetStream to this service finishing handling it',
      labelNames: ['subject'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    eventsHandled: new Counter({
      name: 'events_handled_total',
      help: 'Events handled, by outcome (ack, retry, dead-letter)',
      labelNames: ['subject', 'outcome'],
      registers: [registry],
    }),
    deliveryFailures: new Counter({
      name: 'event_delivery_failures_total',
      help: 'Handler failures that led to a redelivery, by kind (poison, not-yet, infrastructure)',
      labelNames: ['subject', 'kind'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'event_dead_letters_total',
      help: 'Events given up on and recorded on the dead-letter stream',
      labelNames: ['subject', 'reason'],
      registers: [registry],
    }),
    outboxPublished: new Counter({
      name: 'outbox_events_published_total',
      help: 'Outbox entries published to JetStream',
      labelNames: ['subject'],
      registers: [registry],
    }),
  };
}

/**
 * A histogram of one service's own (e.g. the expiration worker's lateness) in its registry; the
 * existing one when it is asked for again (several queues or runtimes in one process).
 */
export function serviceHistogram(metrics: Metrics, config: { name: string; help: string; buckets: number[] }): Histogram {
  return (metrics.registry.getSingleMetric(config.name) as Histogram | undefined) ?? new Histogram({ ...config, registers: [metrics.registry] });
}
