import { z } from 'zod';
import { parseSessionPublicKeys } from '../sessions/public-keys';

/** Thrown for bad configuration; its message is one line naming the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Integers from the environment: `"15"` → 15; empty or absent → default. */
export const intFromEnv = (defaultValue: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? defaultValue : Number(v)),
    z.number().int().min(min).max(max),
  );

export const urlFromEnv = (protocols: string[]) =>
  z
    .string()
    .min(1)
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol.replace(':', ''));
      } catch {
        return false;
      }
    }, `must be a ${protocols.join(' or ')} URL`);

/** What every HTTP service reads. Services extend it with their own variables. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: intFromEnv(3000, { min: 0, max: 65535 }),
  /** Address the HTTP server binds: every interface in a container; tests use 127.0.0.1. */
  HOST: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).default('0.0.0.0')),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Share (0–1) of answered requests below 500 written to the access log at info; 5xx always; all at debug. */
  ACCESS_LOG_SAMPLE_RATE: z.preprocess((v) => (v === undefined || v === '' ? 0.01 : Number(v)), z.number().min(0).max(1)),
  SHUTDOWN_TIMEOUT_MS: intFromEnv(10_000, { min: 100 }),
  /** OpenTelemetry tracing (telemetry/tracing.ts reads them, before this is parsed): TRACING=0 turns it off. */
  TRACING: z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toLowerCase() : undefined), z.enum(['0', '1', 'true', 'false', 'on', 'off']).optional()),
  /** OTLP/HTTP base URL spans are sent to (+ /v1/traces); unset: nothing is exported. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((v) => (v === '' ? undefined : v), urlFromEnv(['http', 'https']).optional()),
});

export const natsConfigSchema = z.object({
  NATS_URL: z.string().min(1, 'is required (e.g. nats://127.0.0.1:4222)'),
  /**
   * The service's NATS user (default: the service's name) and its password. The servers
   * refuse clients without credentials; each user may publish and consume only what the
   * event catalog gives its service (nats/permissions.ts).
   */
  NATS_USER: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional()),
  NATS_PASSWORD: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(1).optional()),
  /** Replicas of the streams the service creates (3 on a clustered JetStream, 1 on a single server). */
  NATS_STREAM_REPLICAS: intFromEnv(1, { min: 1, max: 5 }),
});

/** The credentials NATS_USER / NATS_PASSWORD give `service` (none without a password). */
export function natsCredentialsFrom(config: z.infer<typeof natsConfigSchema>, service: string) {
  return config.NATS_PASSWORD ? { user: config.NATS_USER ?? service, pass: config.NATS_PASSWORD } : undefined;
}

/**
 * How listeners retry (see nats/listener.ts). Only failures that may be bugs count toward
 * EVENT_MAX_HANDLER_FAILURES; outages and "not yet" retry for as long as it takes, at most
 * EVENT_MAX_RETRY_DELAY_MS apart.
 */
export const eventConfigSchema = z.object({
  EVENT_MAX_HANDLER_FAILURES: intFromEnv(20, { min: 1 }),
  EVENT_RETRY_DELAY_MS: intFromEnv(250, { min: 1 }),
  EVENT_MAX_RETRY_DELAY_MS: intFromEnv(30_000, { min: 1 }),
  EVENT_ACK_WAIT_MS: intFromEnv(10_000, { min: 1_000 }),
  EVENT_HANDLER_TIMEOUT_MS: intFromEnv(300_000, { min: 100 }),
});

/** The ListenerRunner options the event variables set. */
export function listenerOptionsFrom(config: z.infer<typeof eventConfigSchema>) {
  return {
    maxHandlerFailures: config.EVENT_MAX_HANDLER_FAILURES,
    retryDelayMs: config.EVENT_RETRY_DELAY_MS,
    maxRetryDelayMs: config.EVENT_MAX_RETRY_DELAY_MS,
    ackWaitMs: config.EVENT_ACK_WAIT_MS,
    handlerTimeoutMs: config.EVENT_HANDLER_TIMEOUT_MS,
  };
}

export const mongoConfigSchema = z.object({
  MONGO_URL: urlFromEnv(['mongodb', 'mongodb+srv']),
});

/**
 * What a service needs to recognise a signed-in user: the public keys of the session tokens
 * (`{"<kid>": "<PEM>"}`, two during a key rotation). No service but auth has a signing key.
 */
export const sessionConfigSchema = z.object({
  SESSION_PUBLIC_KEYS: z.string().transform((text, ctx) => {
    try {
      return parseSessionPublicKeys(text);
    } catch (err) {
      ctx.issues.push({ code: 'custom', message: (err as Error).message, input: text });
      return z.NEVER;
    }
  }),
});

/**
 * Parses `env` with `schema`. On failure throws a ConfigError whose one-line message names
 * every bad variable, e.g. `Invalid configuration: SESSION_PUBLIC_KEYS is required …; PORT must be …`.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && env[name] === undefined;
    return missing ? `${name} is required` : `${name} ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
