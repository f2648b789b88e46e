import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/*
 * This module loads only OpenTelemetry: a service imports it (`@ticketing/common/tracing`)
 * before anything else, because the instrumentations patch http, express, mongodb and ioredis
 * only when they are in place before those modules are first required.
 */

export interface TracingOptions {
  /** Default process.env: TRACING=0 turns tracing off; OTEL_EXPORTER_OTLP_ENDPOINT is where spans go. */
  env?: NodeJS.ProcessEnv;
  /** Where finished spans go instead of OTLP (tests: an InMemorySpanExporter); exported at once. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** False when TRACING=0: no spans, no trace context in messages or logs. */
  enabled: boolean;
  /** Sends the spans still buffered (call before the process exits). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

let current: Tracing | undefined;

/** TRACING=0 / false / off turns it off; anything else (or unset) leaves it on. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return !['0', 'false', 'off'].includes((env.TRACING ?? '').trim().toLowerCase());
}

/**
 * Starts tracing for this process once (later calls return the first one): the Node tracer
 * provider with W3C trace-context propagation, the HTTP, Express, MongoDB and ioredis
 * instrumentations, and an OTLP/HTTP exporter to OTEL_EXPORTER_OTLP_ENDPOINT (e.g.
 * http://127.0.0.1:4318). Without an endpoint spans are still made, so trace ids reach logs and
 * messages, but nothing is exported.
 */
export function startTracing(service: string, options: TracingOptions = {}): Tracing {
  if (current) return current;
  const env = options.env ?? process.env;
  if (!tracingEnabled(env)) {
    current = { enabled: false, flush: () => Promise.resolve(), shutdown: () => Promise.resolve() };
    return current;
  }
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const spanProcessors = options.exporter
    ? [new SimpleSpanProcessor(options.exporter)]
    : endpoint
      ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }))]
      : [];
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || service }),
    spanProcessors,
  });
  provider.register(); // AsyncLocalStorage context manager, W3C traceparent/baggage propagators
  const unregister = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes and metrics scrapes would be most of the traces: leave them out.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|livez|metrics)\b/.test(req.url ?? '') }),
      new ExpressInstrumentation(),
      new MongoDBInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  current = {
    enabled: true,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      unregister();
      await provider.shutdown();
      trace.disable();
      current = undefined;
    },
  };
  return current;
}

/** The tracing this process started, if any. */
export function currentTracing(): Tracing | undefined {
  return current;
}

/** For tests: startTracing(service, { exporter: new InMemorySpanExporter() }) keeps the finished spans. */
export { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
