import {
  createLogger,
  createMetrics,
  type EventRuntime,
  type ListenerRunnerOptions,
  loadServiceConfig,
  type Logger,
  type NatsUser,
  Publisher,
  serviceApp,
  type ServiceConfig,
  type ServiceDefinition,
  type ServiceDeps,
  startEventRuntime,
} from '@ticketing/common';
import type { Express } from 'express';
import pino from 'pino';
import type { z } from 'zod';
import { useTestDatabase } from './database';
import { connectTestJetStream, type EventPublisher, type TestJetStream } from './jetstream';
import { startNatsServer, type NatsTestServer } from './servers';
import { testSessionEnv } from './session';

/** A parsed log line of a test environment with `captureLogs`. */
export type LogLine = { level: string; msg: string; [key: string]: unknown };

export interface ServiceTestEnvOptions<R> {
  /** Variables over the test defaults (NODE_ENV=test, silent logs, this process's session keys). */
  env?: Record<string, string>;
  /** Prefix of this file's own database (emptied before each test); false: none. Default: the service's name when it has a database. */
  database?: string | false;
  /** A nats-server with the service's listeners and outbox relay on it. Default: when the service has listeners or an outbox. */
  events?: boolean;
  /** Replaces some of what the service's `resources` makes (e.g. a recording payment gateway). */
  resources?: () => Partial<R>;
  /** Listener retry timings; default short (50 ms first retry, 500 ms at most, 2 s ack wait). */
  listenerOptions?: Partial<ListenerRunnerOptions>;
  /** Keep what the service logs (debug and up) in `logs`. Default false: silent (TEST_LOG_LEVEL). */
  captureLogs?: boolean;
}

export interface ServiceAppOverrides<R> {
  /** Variables over the environment's. */
  env?: Record<string, string>;
  resources?: Partial<R>;
  logger?: Logger;
  /** The access log; default off. */
  logRequests?: boolean;
}

export interface ServiceTestEnv<C, R> {
  /** The service's logger (captured into `logs` with captureLogs). */
  readonly logger: Logger;
  readonly logs: LogLine[];
  /** Read inside tests or hooks (started by beforeAll) — with `events` only. */
  readonly nats: NatsTestServer;
  /** The admin's connection: reads streams and consumers back. */
  readonly bus: TestJetStream;
  /** Publishes other services' events, each as its owner (the catalog's NATS user). */
  readonly publisher: EventPublisher;
  /** The service's listeners and outbox relay, as runService starts them. */
  readonly runtime: EventRuntime;
  /** What the service's parts receive: configuration, logger, its NATS user's connection, its resources. */
  readonly deps: ServiceDeps<C> & R;
  /** The configuration the service would read, with `env` over the environment's. */
  config(env?: Record<string, string>): C;
  /** The service's Express app, built from its declaration as runService builds it (call it where the resources exist: inside tests, or at the top of a file whose resources need no NATS). */
  app(overrides?: ServiceAppOverrides<R>): Express;
}

const DEFAULT_LISTENER_OPTIONS: Partial<ListenerRunnerOptions> = { retryDelayMs: 50, maxRetryDelayMs: 500, ackWaitMs: 2_000 };

/** A logger whose JSON lines land in `lines`. */
export function captureLogger(lines: LogLine[]): Logger {
  return pino(
    { level: 'debug', formatters: { level: (label) => ({ level: label }) } },
    { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) },
  );
}

/**
 * A test file's world for one declared service: its database (emptied before each test), and
 * when it consumes or publishes events a real nats-server with the catalog's streams and the
 * service's listeners and outbox relay running on it as its own NATS user. `app()` builds the
 * HTTP app from the same declaration as runService. Everything stops before the database goes.
 * Not run here: the declaration's `start` (the test database syncs every model's indexes) and
 * its `background` tasks (tests build sweeps themselves and run them when they choose).
 */
export function useServiceTestEnv<S extends z.ZodObject, R extends object>(
  definition: ServiceDefinition<S, R>,
  options: ServiceTestEnvOptions<R> = {},
): ServiceTestEnv<ServiceConfig<S>, R> {
  const events = options.events ?? Boolean(definition.listeners !== undefined || definition.outbox?.length);
  const logs: LogLine[] = [];
  const logger = options.captureLogs ? captureLogger(logs) : createLogger(`${definition.name}-test`, process.env.TEST_LOG_LEVEL ?? 'silent');
  // bus: the admin's connection; own: the service's NATS user's.
  const started: { nats?: NatsTestServer; bus?: TestJetStream; own?: TestJetStream; runtime?: EventRuntime; deps?: ServiceDeps<ServiceConfig<S>> & R } = {};

  const variables = (env: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    NATS_URL: started.nats?.url ?? 'nats://127.0.0.1:1',
    MONGO_URL: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:1',
    ...testSessionEnv({ signing: true }),
    ...options.env,
    ...env,
  });
  const config = (env?: Record<string, string>) => loadServiceConfig(definition, variables(env));

  /** What the service's NATS user gives the parts (absent until beforeAll connected it). */
  const natsDeps = (own: TestJetStream | undefined) => ({ nc: own?.nc, js: own?.js, jsm: own?.jsm, publisher: own && new Publisher(own.js) });

  /**
   * Made once, on first need: in beforeAll once NATS is up, or earlier by an app() at the top of
   * a file (then the resources were made without NATS; the NATS connection is added in beforeAll).
   */
  const depsNow = (): ServiceDeps<ServiceConfig<S>> & R => {
    if (started.deps) return started.deps;
    const metrics = createMetrics(definition.name, { defaults: false });
    const base = { config: config(), logger, metrics, ...natsDeps(started.own) } as ServiceDeps<ServiceConfig<S>>;
    started.deps = { ...base, ...definition.resources?.(base), ...options.resources?.() } as ServiceDeps<ServiceConfig<S>> & R;
    return started.deps;
  };

  // Hooks run in the order they are declared: stop the event side before the database goes.
  afterAll(async () => {
    await started.runtime?.stop();
    if (started.deps) await definition.stop?.(started.deps);
    await started.bus?.close();
    await started.nats?.destroy();
  });
  const database = options.database ?? (definition.mongo === false ? false : definition.name);
  if (database !== false) useTestDatabase(database);
  if (events) {
    beforeAll(async () => {
      started.nats = await startNatsServer();
      started.bus = await connectTestJetStream(started.nats);
      // The service's own NATS user, as in production.
      started.own = await started.bus.as(definition.name as NatsUser);
      if (started.deps) Object.assign(started.deps, natsDeps(started.own));
      const deps = depsNow();
      started.runtime = await startEventRuntime({
        service: definition.name,
        js: deps.js,
        jsm: deps.jsm,
        logger,
        listeners: definition.listeners?.(deps),
        outbox: definition.outbox,
        listenerOptions: { ...DEFAULT_LISTENER_OPTIONS, ...options.listenerOptions },
        outboxPollIntervalMs: 200,
      });
    });
  }

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`useServiceTestEnv(${definition.name}): ${what} exists inside tests and hooks${events ? '' : ' of an environment with events'}`);
    return value;
  };
  return {
    logger,
    logs,
    get nats() {
      return need(started.nats, 'nats');
    },
    get bus() {
      return need(started.bus, 'bus');
    },
    get publisher() {
      return need(started.bus, 'publisher').ownersPublisher;
    },
    get runtime() {
      return need(started.runtime, 'runtime');
    },
    get deps() {
      return depsNow();
    },
    config,
    app(overrides = {}) {
      const deps = depsNow();
      return serviceApp(
        definition,
        { ...deps, ...overrides.resources, config: overrides.env ? config(overrides.env) : deps.config, logger: overrides.logger ?? deps.logger, metrics: undefined },
        { logRequests: overrides.logRequests ?? false },
      );
    },
  };
}
