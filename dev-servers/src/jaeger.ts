import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findBinary } from './binaries';
import { freePort } from './process';
import { startServer, type TestServer } from './servers';

export interface JaegerServer extends TestServer {
  /** The UI and query API (`url` too): /api/v3/traces/{id}, /api/traces?service=…. */
  queryUrl: string;
  /** Where services send spans: OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP, the exporter adds /v1/traces). */
  otlpUrl: string;
}

export interface JaegerPorts {
  /** UI and query HTTP API (Jaeger's default 16686). */
  query?: number;
  /** OTLP/HTTP receiver (default 4318). */
  otlp?: number;
  /** The query service's gRPC API, which Jaeger always opens (default 16685). */
  queryGrpc?: number;
}

/**
 * Jaeger v2's configuration (an OpenTelemetry Collector's) for one machine: the OTLP/HTTP
 * receiver into an in-memory store, the query service (UI + API) reading it; every listener
 * on 127.0.0.1, and none of the all-in-one's others (Jaeger/Zipkin receivers, sampling,
 * its own metrics on 8888), which would take fixed ports.
 */
export function jaegerConfig(ports: Required<JaegerPorts>, maxTraces = 100_000): string {
  return `service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: ${maxTraces}
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:${ports.query}
    grpc:
      endpoint: 127.0.0.1:${ports.queryGrpc}
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${ports.otlp}
processors:
  batch:
    timeout: 1s
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
`;
}

/**
 * Jaeger v2 (`jaeger --config …`, built by infra/scripts/install-jaeger.sh) with in-memory
 * storage, on free loopback ports unless given. Ready once its OTLP receiver listens (the
 * collector starts receivers last, after the query extension). Traces live as long as it runs.
 */
export async function startJaeger(opts: { ports?: JaegerPorts; dataDir?: string } = {}): Promise<JaegerServer> {
  const ports = {
    query: opts.ports?.query ?? (await freePort()),
    otlp: opts.ports?.otlp ?? (await freePort()),
    queryGrpc: opts.ports?.queryGrpc ?? (await freePort()),
  };
  const configFile = (dir: string) => path.join(dir, 'jaeger.yaml');
  const server = await startServer({
    name: 'jaeger',
    command: () => findBinary('jaeger'),
    prepare: (dir) => writeFileSync(configFile(dir), jaegerConfig(ports)),
    args: (_port, dir) => ['--config', configFile(dir)],
    port: ports.otlp,
    url: () => `http://127.0.0.1:${ports.query}`,
    dataDir: opts.dataDir,
    startTimeoutMs: 30_000,
  });
  return { ...server, queryUrl: server.url, otlpUrl: `http://127.0.0.1:${ports.otlp}` };
}
