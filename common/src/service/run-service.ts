import http from 'node:http';
import express, { type Express } from 'express';
import type { Model } from 'mongoose';
import mongoose from 'mongoose';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { z } from 'zod';
import { connectNats, natsIsConnected } from '../nats/connection';
import type { Listener } from '../nats/listener';
import { Publisher } from '../nats/publisher';
import { ensureServiceStreams } from '../nats/streams';
import { countDeadLetters } from '../nats/dead-letter-store';
import {
  baseConfigSchema,
  ConfigError,
  eventConfigSchema,
  listenerOptionsFrom,
  loadConfig,
  mongoConfigSchema,
  natsConfigSchema,
  natsCredentialsFrom,
} from './config';
import { createLogger, type Logger } from '../telemetry';
import { startEventRuntime } from './event-runtime';
import { createMetrics, type Metrics } from '../telemetry';
import { connectMongo, mongoIsConnected } from './mongo';
import { probesRouter, type ReadinessChecks } from './probes';

type BaseConfig = z.infer<typeof baseConfigSchema> & z.infer<typeof natsConfigSchema> & z.infer<typeof eventConfigSchema>;

export interface ServiceDeps<C> {
  config: C;
  logger: Logger;
  metrics: Metrics;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  publisher: Publisher;
}

export interface ServiceParts {
  /** The service's Express app (from createServiceApp); absent for workers. */
  app?: Express;
  listeners?: Listener[];
  /** Models whose outbox the relay publishes. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outbox?: Model<any>[];
  /** Extra readiness checks (e.g. Redis). */
  readiness?: ReadinessChecks;
  /**
   * Periodic work beside the listeners (e.g. a reconciliation sweep): started once the event
   * side runs, stopped on shutdown before the listeners (so it writes nothing after).
   */
  background?: BackgroundTask[];
  /** Called on shutdown after listeners stopped, before NATS and MongoDB close. */
  stop?: () => Promise<void>;
}

export interface BackgroundTask {
  start(): void;
  /** Resolves once work in progress has finished. */
  stop(): Promise<void>;
}

export interface RunServiceOptions<S extends z.ZodObject> {
  name: string;
  /** The service's own variables; the common ones (PORT, NATS_URL, MONGO_URL …) are added. */
  config?: S;
  /** Whether the service owns a MongoDB database (MONGO_URL required). Default true. */
  mongo?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Install SIGTERM/SIGINT handlers and exit when stopped. Default true. */
  handleSignals?: boolean;
  build(deps: ServiceDeps<BaseConfig & z.infer<S>>): ServiceParts | Promise<ServiceParts>;
}

export interface RunningService {
  port: number;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * Starts a service: validated configuration, HTTP with probes first (so Kubernetes sees the
 * process alive while dependencies come up), NATS + streams, MongoDB, the service's
 * listeners and outbox relay; then ready. SIGTERM/SIGINT: not ready, stop accepting, finish
 * requests and handlers in flight, drain NATS, close MongoDB, within SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<S extends z.ZodObject>(opts: RunServiceOptions<S>): Promise<RunningService> {
  const env = opts.env ?? process.env;
  const useMongo = opts.mongo !== false;
  let schema: z.ZodObject = baseConfigSchema.extend(natsConfigSchema.shape).extend(eventConfigSchema.shape);
  if (useMongo) schema = schema.extend(mongoConfigSchema.shape);
  if (opts.config) schema = schema.extend(opts.config.shape);

  let config: BaseConfig & z.infer<S>;
  try {
    config = loadConfig(schema, env) as BaseConfig & z.infer<S>;
  } catch (err) {
    if (err instanceof ConfigError && opts.handleSignals !== false) {
      process.stderr.write(`${opts.name}: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const logger = createLogger(opts.name, config.LOG_LEVEL);
  const metrics = createMetrics(opts.name);
  // Filled in as start-up proceeds; the probes read it from the first request on.
  const state: { parts: ServiceParts; nc?: NatsConnection; ready: boolean } = { parts: {}, ready: false };

  const root = express();
  root.disable('x-powered-by');
  root.use(
    probesRouter(
      () => ({
        started: () => state.ready,
        nats: () => natsIsConnected(state.nc),
        ...(useMongo ? { mongo: () => mongoIsConnected() } : {}),
        ...state.parts.readiness,
      }),
      metrics,
    ),
  );
  root.use((req, res, next) => {
    if (state.parts.app) return state.parts.app(req, res, next);
    res.status(503).send({ errors: [{ message: 'Service is starting' }] });
  });

  const server = http.createServer(root);
  server.keepAliveTimeout = 65_000; // longer than the gateway's/ingress's idle timeout
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`${opts.name}: port ${config.PORT} is already in use`) : err),
    );
    server.listen(config.PORT, process.env.HOST ?? '0.0.0.0', resolve);
  });
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, 'http listening');

  const nc = await connectNats(config.NATS_URL, opts.name, logger, natsCredentialsFrom(config, opts.name));
  state.nc = nc;
  const jsm = await nc.jetstreamManager();
  await ensureServiceStreams(jsm, opts.name);
  metrics.countDeadLettersWith(() => countDeadLetters(jsm));
  const js = nc.jetstream();
  const publisher = new Publisher(js);
  if (useMongo) await connectMongo((config as unknown as { MONGO_URL: string }).MONGO_URL, logger);

  const parts = await opts.build({ config, logger, metrics, nc, js, jsm, publisher });
  state.parts = parts;
  const events = await startEventRuntime({
    service: opts.name,
    nc,
    js,
    jsm,
    logger,
    metrics,
    publisher,
    listeners: parts.listeners,
    outbox: parts.outbox,
    listenerOptions: listenerOptionsFrom(config),
  });
  for (const task of parts.background ?? []) task.start();
  state.ready = true;
  logger.info('ready');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      state.ready = false;
      logger.info('shutting down');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out');
        if (opts.handleSignals !== false) process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all((parts.background ?? []).map((task) => task.stop()));
      await events.stop();
      await parts.stop?.();
      await closed;
      await nc.drain().catch(() => undefined);
      if (useMongo) await mongoose.disconnect();
      clearTimeout(timer);
      logger.info('stopped');
    })());

  if (opts.handleSignals !== false) {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        void stop().then(
          () => process.exit(0),
          (err) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  }
  return { port, logger, stop };
}
