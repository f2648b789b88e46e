import type { Router } from 'express';
import type { Model } from 'mongoose';
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { z } from 'zod';
import type { Listener } from '../nats/listener';
import type { Publisher } from '../nats/publisher';
import { baseConfigSchema, eventConfigSchema, loadConfig, mongoConfigSchema, natsConfigSchema, sessionConfigSchema } from './config';
import type { Logger, Metrics } from '../telemetry';
import type { OpenApiDocument } from '../contract/document';
import type { ReadinessChecks } from './probes';

/** What every service's configuration holds besides its own variables (MONGO_URL only with a database). */
export type CommonConfig = z.infer<typeof baseConfigSchema> &
  z.infer<typeof natsConfigSchema> &
  z.infer<typeof eventConfigSchema> &
  Partial<z.infer<typeof mongoConfigSchema>>;

/** A service's whole configuration: the common variables and its own schema's. */
export type ServiceConfig<S extends z.ZodObject> = CommonConfig & z.infer<S>;

/** What runService connects before the service's parts are made. */
export interface ServiceDeps<C> {
  config: C;
  logger: Logger;
  metrics: Metrics;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  publisher: Publisher;
}

/** What the routers get: the configuration, the logger and the service's resources (no NATS). */
export interface AppDeps<C> {
  config: C;
  logger: Logger;
  metrics?: Metrics;
}

/** Periodic work beside the listeners (e.g. a reconciliation sweep). */
export interface BackgroundTask {
  start(): void;
  /** Resolves once work in progress has finished. */
  stop(): Promise<void>;
}

/**
 * A service, declared: runService (and the tests, through serviceApp and useServiceTestEnv)
 * builds everything from it. `R` is what `resources` makes and every other part receives.
 */
export interface ServiceDefinition<S extends z.ZodObject = z.ZodObject, R extends object = object> {
  name: string;
  /** The service's own variables (or, when they depend on e.g. NODE_ENV, a function of the environment). */
  config?: S | ((env: NodeJS.ProcessEnv) => S);
  /** Whether the service owns a MongoDB database (MONGO_URL required). Default true. */
  mongo?: boolean;
  /** Objects the parts share (clients, a payment gateway, a hub), made without I/O. */
  resources?(deps: ServiceDeps<ServiceConfig<S>>): R;
  /** I/O before the parts start (indexes, a subscription); a failure fails the start. */
  start?(deps: ServiceDeps<ServiceConfig<S>> & R): Promise<void>;
  /** The HTTP API; without it the service is a worker (probes and metrics only). */
  routers?(deps: AppDeps<ServiceConfig<S>> & R): Router[];
  /** Where the OpenAPI document and Swagger UI are served: `<base>/openapi.json`, `<base>/docs`. */
  openApi?: { base: string; document: OpenApiDocument };
  /** Largest JSON body accepted (413 above); default 16kb. */
  bodyLimit?: string;
  listeners?(deps: ServiceDeps<ServiceConfig<S>> & R): Listener[];
  /** Models whose outbox the relay publishes. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  outbox?: Model<any>[];
  /** Started once the event side runs; stopped on shutdown before the listeners (so they write nothing after). */
  background?(deps: ServiceDeps<ServiceConfig<S>> & R): BackgroundTask[];
  /** Readiness checks beside started / NATS / MongoDB (e.g. Redis). */
  readiness?(deps: ServiceDeps<ServiceConfig<S>> & R): ReadinessChecks;
  /** Called on shutdown after the listeners stopped, before NATS and MongoDB close. */
  stop?(deps: ServiceDeps<ServiceConfig<S>> & R): Promise<void>;
}

/** Declares a service (types only: the declaration is returned as it is). */
export function defineService<S extends z.ZodObject = z.ZodObject, R extends object = object>(definition: ServiceDefinition<S, R>): ServiceDefinition<S, R> {
  return definition;
}

/**
 * The schema runService validates for `definition` in `env`: the common variables (base,
 * NATS, events, MongoDB when it has a database, session keys when it serves HTTP), then its own,
 * with its own schema's refinements (e.g. auth's "the signing key is published") kept.
 */
export function serviceConfigSchema(definition: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): z.ZodObject {
  let schema: z.ZodObject = baseConfigSchema.extend(natsConfigSchema.shape).extend(eventConfigSchema.shape);
  if (definition.mongo !== false) schema = schema.extend(mongoConfigSchema.shape);
  if (definition.routers) schema = schema.extend(sessionConfigSchema.shape);
  const own = typeof definition.config === 'function' ? definition.config(env) : definition.config;
  if (!own) return schema;
  const refinements = (own._zod.def.checks ?? []) as z.core.$ZodCheck<Record<string, unknown>>[];
  const merged = schema.extend(own.shape);
  return refinements.length > 0 ? merged.check(...refinements) : merged;
}

/** The service's configuration from `env`; throws a one-line ConfigError naming every bad variable. */
export function loadServiceConfig<S extends z.ZodObject, R extends object>(definition: ServiceDefinition<S, R>, env: NodeJS.ProcessEnv = process.env): ServiceConfig<S> {
  return loadConfig(serviceConfigSchema(definition as ServiceDefinition, env), env) as ServiceConfig<S>;
}
