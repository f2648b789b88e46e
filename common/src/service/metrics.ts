import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics every service exposes at /metrics. One registry per process. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Age of an event (publish → handled) per subject: replication lag. */
  eventLag: Histogram<'subject'>;
  eventsHandled: Counter<'subject' | 'outcome'>;
  deliveryFailures: Counter<'subject'>;
  deadLetters: Counter<'subject' | 'reason'>;
  outboxPublished: Counter<'subject'>;
}

export function createMetrics(service: string, { defaults = true } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
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
      help: 'Handler failures that led to a redelivery',
      labelNames: ['subject'],
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
