import { Events, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import type { Model } from 'mongoose';
import { SERVICES, subjectsConsumedBy } from '../events/catalog';
import { ListenerRunner, type Listener, type ListenerRunnerOptions } from '../nats/listener';
import { Publisher } from '../nats/publisher';
import { OutboxRelay } from '../outbox/relay';
import type { Logger } from '../telemetry';
import type { Metrics } from '../telemetry';

export interface EventRuntimeOptions {
  service: string;
  /** When given, the relay retries at once when the connection comes back. */
  nc?: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
  metrics?: Metrics;
  listeners?: Listener[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outbox?: Model<any>[];
  publisher?: Publisher;
  listenerOptions?: Partial<ListenerRunnerOptions>;
  outboxPollIntervalMs?: number;
}

export interface EventRuntime {
  publisher: Publisher;
  /** Stops pulling, finishes handlers in flight, stops the relay. */
  stop(): Promise<void>;
}

/** A service's event side: its listeners on durable consumers and its outbox relay. */
export async function startEventRuntime(opts: EventRuntimeOptions): Promise<EventRuntime> {
  assertListenersInCatalog(opts.service, opts.listeners ?? []);
  const publisher = opts.publisher ?? new Publisher(opts.js);
  const runner = new ListenerRunner(opts.js, opts.jsm, {
    service: opts.service,
    logger: opts.logger,
    metrics: opts.metrics,
    ...opts.listenerOptions,
  });
  await runner.start(opts.listeners ?? []);
  const relay = opts.outbox?.length
    ? new OutboxRelay({
        models: opts.outbox,
        publisher,
        logger: opts.logger,
        metrics: opts.metrics,
        pollIntervalMs: opts.outboxPollIntervalMs,
      })
    : undefined;
  relay?.start();
  if (relay && opts.nc) {
    // Events written during an outage go out as soon as the broker is back, not after the
    // relay's backoff: an expiry must not overtake a payment made before it.
    void (async () => {
      for await (const status of opts.nc!.status()) if (status.type === Events.Reconnect) relay.nudge();
    })().catch((err: unknown) => opts.logger.error({ err }, 'NATS status watch failed; the relay falls back to its backoff'));
  }
  return {
    publisher,
    stop: async () => {
      await runner.stop();
      await relay?.stop();
    },
  };
}

/**
 * A service of the catalog listens only to subjects the catalog lists it as consuming: its
 * NATS user may not create any other consumer, so say which file to change instead of
 * failing later with a permissions violation.
 */
export function assertListenersInCatalog(service: string, listeners: readonly Listener[]): void {
  if (!(SERVICES as readonly string[]).includes(service)) return;
  const allowed = subjectsConsumedBy(service) as string[];
  const extra = listeners.map((l) => l.subject).filter((s) => !allowed.includes(s));
  if (extra.length > 0) {
    throw new Error(
      `${service} listens to ${extra.join(', ')}, which the event catalog (common/src/events/catalog.ts) does not list it as consuming`,
    );
  }
}
