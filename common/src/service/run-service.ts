import http from 'node:http';
import express, { type Express } from 'express';
import mongoose from 'mongoose';
import type { NatsConnection } from 'nats';
import type { z } from 'zod';
import { connectNats, natsIsConnected } from '../nats/connection';
import { Publisher } from '../nats/publisher';
import { ensureServiceStreams } from '../nats/streams';
import { countDeadLetters } from '../nats/dead-letter-store';
import { listenerOptionsFrom, natsCredentialsFrom } from './config';
import { loadServiceConfig, type ServiceConfig, type ServiceDefinition, type ServiceDeps } from './define-service';
import { createLogger, createMetrics, type Logger } from '../telemetry';
import { startTracing } from '../telemetry/tracing';
import { startEventRuntime } from './event-runtime';
import { connectMongo, mongoIsConnected } from './mongo';
import { probesRouter, type ReadinessChecks } from './probes';
import { serviceApp } from './service-app';

export interface RunServiceOptions {
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * The service owns the process (default true): SIGTERM/SIGINT stop it and exit, and a failed
   * start prints one line on stderr and exits 1. Tests pass false and get the error instead.
   */
  handleSignals?: boolean;
}

export interface RunningService {
  port: number;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * Runs a declared service (defineService): validated configuration, HTTP with probes first
 * (so Kubernetes sees the process alive while dependencies come up), NATS + streams,
 * MongoDB, the service's resources, app, listeners, outbox relay and background tasks; then
 * ready. SIGTERM/SIGINT: not ready, stop accepting, finish requests and handlers in flight,
 * drain NATS, close MongoDB, within SHUTDOWN_TIMEOUT_MS. Every start-up failure ends the
 * process with one line naming the service and the cause.
 */
export async function runService<S extends z.ZodObject, R extends object>(
  definition: ServiceDefinition<S, R>,
  options: RunServiceOptions = {},
): Promise<RunningService> {
  try {
    return await start(definition, options);
  } catch (err) {
    if (options.handleSignals === false) throw err;
    process.stderr.write(`${definition.name}: ${startFailure(err)}\n`);
    process.exit(1);
  }
}

/** One line: a configuration error says it all; anything else is "failed to start: <message>". */
function startFailure(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ');
  return err instanceof Error && err.name === 'ConfigError' ? message : `failed to start: ${message}`;
}

async function start<S extends z.ZodObject, R extends object>(definition: ServiceDefinition<S, R>, options: RunServiceOptions): Promise<RunningService> {
  const { name } = definition;
  const useMongo = definition.mongo !== false;
  const config: ServiceConfig<S> = loadServiceConfig(definition, options.env ?? process.env);
  // Usually started already by the service's entry point (before express and mongodb load, so
  // they are instrumented); this returns that one, or starts it with NATS and outbox spans only.
  const tracing = startTracing(name, { env: options.env ?? process.env });
  const logger = createLogger(name, config.LOG_LEVEL);
  const metrics = createMetrics(name);
  // Filled in as start-up proceeds; the probes read it from the first request on.
  const state: { app?: Express; readiness?: ReadinessChecks; nc?: NatsConnection; ready: boolean } = { ready: false };

  const root = express();
  root.disable('x-powered-by');
  root.use(
    probesRouter(
      () => ({
        started: () => state.ready,
        nats: () => natsIsConnected(state.nc),
        ...(useMongo ? { mongo: () => mongoIsConnected() } : {}),
        ...state.readiness,
      }),
      metrics,
    ),
  );
  root.use((req, res, next) => {
    if (state.app) return state.app(req, res, next);
    res.status(503).send({ errors: [{ message: 'Service is starting' }] });
  });

  const server = http.createServer(root);
  server.keepAliveTimeout = 65_000; // longer than the gateway's/ingress's idle timeout
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.PORT} is already in use`) : err));
    server.listen(config.PORT, config.HOST, resolve);
  });
  const port = (server.address() as { port: number }).port;
  logger.info({ port }, 'http listening');

  const nc = await connectNats(config.NATS_URL, name, logger, natsCredentialsFrom(config, name));
  state.nc = nc;
  const jsm = await nc.jetstreamManager();
  await ensureServiceStreams(jsm, name, config.NATS_STREAM_REPLICAS);
  metrics.countDeadLettersWith(() => countDeadLetters(jsm));
  const js = nc.jetstream();
  const publisher = new Publisher(js);
  if (useMongo) await connectMongo(config.MONGO_URL!, logger);

  const base: ServiceDeps<ServiceConfig<S>> = { config, logger, metrics, nc, js, jsm, publisher };
  const deps = { ...base, ...definition.resources?.(base) } as ServiceDeps<ServiceConfig<S>> & R;
  await definition.start?.(deps);
  state.readiness = definition.readiness?.(deps);
  if (definition.routers) state.app = serviceApp(definition, deps);
  const background = definition.background?.(deps) ?? [];
  const events = await startEventRuntime({
    service: name,
    nc,
    js,
    jsm,
    logger,
    metrics,
    publisher,
    listeners: definition.listeners?.(deps),
    outbox: definition.outbox,
    listenerOptions: listenerOptionsFrom(config),
  });
  for (const task of background) task.start();
  state.ready = true;
  logger.info({ tracing: tracing.enabled }, 'ready');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      state.ready = false;
      logger.info('shutting down');
      const timer = setTimeout(() => {
        logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out');
        if (options.handleSignals !== false) process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS);
      timer.unref();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await Promise.all(background.map((task) => task.stop()));
      await events.stop();
      await definition.stop?.(deps);
      await closed;
      await nc.drain().catch(() => undefined);
      if (useMongo) await mongoose.disconnect();
      await tracing.flush().catch((err: unknown) => logger.warn({ err }, 'could not export the last spans'));
      clearTimeout(timer);
      logger.info('stopped');
    })());

  if (options.handleSignals !== false) {
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
