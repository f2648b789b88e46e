import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  ManagedProcess,
  startMongoServer,
  startNatsServer,
  startJaeger,
  startRedisServer,
  type JaegerServer,
  type MongoKind,
  type NatsTestServer,
  type RedisTestServer,
  type TestServer,
} from '@ticketing/dev-servers';
import { tracingEnabled } from '@ticketing/common/tracing';
import { devSecret, generateWebhookSecret } from './dev-secrets';
import { localCredentials } from './credentials';
import type { GatewayRoute } from './gateway';
import { startNginxEdge } from './edge/nginx-edge';
import { PidFile, stopLeftovers } from './pidfile';
import { portFor } from './ports';
import { ensureSessionKeys, ensureTicketCodeKey, sessionKeysFromEnv, TICKET_CODE_KEY_DIR, ticketCodeKeyFromEnv, withoutSigningKey, type SessionKeyMaterial } from './session-keys';

export const HTTP_SERVICES = ['auth', 'tickets', 'orders', 'payments', 'live'] as const;
export const WORKER_SERVICES = ['expiration'] as const;
export type ServiceName = (typeof HTTP_SERVICES)[number] | (typeof WORKER_SERVICES)[number];

/** The edge's path rules (the HTTPRoutes of infra/k8s/base/gateway.yaml have the same). */
export const PATH_RULES: Record<(typeof HTTP_SERVICES)[number], string> = {
  auth: '/api/users',
  tickets: '/api/tickets',
  orders: '/api/orders',
  payments: '/api/payments',
  live: '/api/live',
};

/** Routes whose responses are event streams: the gateway passes them on unbuffered, with no proxy timeout. */
export const STREAMING_SERVICES: readonly (typeof HTTP_SERVICES)[number][] = ['live'];


export interface StackOptions {
  root: string;
  stateDir: string;
  replicas?: number;
  /** Environment for every process (the start command's, plus .env). */
  env?: NodeJS.ProcessEnv;
  /** Fixed ports (a user's stack) or undefined = free ports (tests). */
  ports?: Partial<Record<'gateway' | 'nats' | 'redis' | 'mongo' | 'jaeger' | 'jaegerOtlp' | 'client' | 'serviceBase', number>>;
  client?: boolean;
  /**
   * Run Jaeger (in memory) and send every service's spans to it (`npm start`). Not when
   * TRACING=0, nor when OTEL_EXPORTER_OTLP_ENDPOINT names a collector of the user's own.
   */
  traceStore?: boolean;
  reset?: boolean;
  onLine?: (name: string, line: string) => void;
  log?: (line: string) => void;
  /** Aborting it during start-up stops what was started and rejects (Ctrl-C while starting). */
  signal?: AbortSignal;
}

export interface InfraServer {
  name: string;
  url: string;
  server?: TestServer;
  detail: string;
}

export interface Stack {
  gatewayUrl: string;
  /** The session keys the services run with (auth signs with them; tests mint sessions with them). */
  sessionKeys: SessionKeyMaterial;
  /** The e-ticket code key tickets signs with (tests check it never appears in a log). */
  ticketCodeKey: { kid: string; privateKeyPem: string };
  processes: ManagedProcess[];
  /** NATS and Redis require credentials: `server.credentials(user)` / `server.urlFor(user)` (e.g. 'admin'). */
  infra: { nats: InfraServer & { server: NatsTestServer }; redis: InfraServer & { server: RedisTestServer }; mongo: InfraServer; jaeger?: InfraServer & { server: JaegerServer } };
  process(name: string): ManagedProcess;
  urlOf(name: string): string;
  table(): string;
  /** Stops everything, newest first. Idempotent: every call returns the same stop. */
  stop(): Promise<void>;
}

/** Thrown when start-up is interrupted through StackOptions.signal. */
export class StartAbortedError extends Error {
  constructor() {
    super('start-up interrupted');
    this.name = 'StartAbortedError';
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, proc?: ManagedProcess, timeoutMs = 90_000, signal?: AbortSignal) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new StartAbortedError();
    // Its last lines in the message: a test's stack keeps the logs to itself unless E2E_LOGS=1.
    if (proc && !proc.running) throw new Error(`${what} exited during start-up (${String(proc.exitStatus)}); its last lines:\n${proc.output()}`);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} was not ready after ${timeoutMs / 1000}s`);
}

/** `mongodb://host:port/db?x` → `mongodb://host:port`: each service gets a database of its own. */
const serverUrl = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
};

const httpOk = (url: string) => fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok);

/**
 * Starts the whole system in dependency order: NATS (JetStream), Redis and a MongoDB-wire
 * server, each with data under `stateDir`; every service (× replicas); the Next.js client;
 * the gateway. Waits for each readiness probe. `stop()` stops everything, newest first.
 */
export async function startStack(opts: StackOptions): Promise<Stack> {
  const replicas = Math.max(1, opts.replicas ?? 1);
  const env = { ...process.env, ...opts.env };
  const log = opts.log ?? (() => undefined);
  const onLine = opts.onLine ?? (() => undefined);
  const ports = opts.ports ?? {};
  // Whatever a previous run's launcher left behind (it was killed before it could stop them)
  // holds our ports and data: stop it first.
  await stopLeftovers(opts.stateDir, log);
  if (opts.reset) rmSync(opts.stateDir, { recursive: true, force: true });
  const pidFile = new PidFile(opts.stateDir);
  const checkAborted = () => {
    if (opts.signal?.aborted) throw new StartAbortedError();
  };
  const wait = (what: string, check: () => Promise<boolean>, proc?: ManagedProcess) => waitUntil(what, check, proc, undefined, opts.signal);
  const spawned = (proc: ManagedProcess) => pidFile.record(proc.name, proc.pid);
  checkAborted();
  const dir = (name: string) => {
    const d = path.join(opts.stateDir, name);
    mkdirSync(d, { recursive: true });
    return d;
  };

  const processes: ManagedProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  let stopping: Promise<void> | undefined;
  // One stop, however often it is asked for (each signal, the start-up's catch): a second
  // caller waits for the same stop instead of returning while processes still run.
  const stop = () =>
    (stopping ??= (async () => {
      for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
      pidFile.clear();
    })());

  try {
    // 1. infrastructure
    log('starting NATS (JetStream), Redis and MongoDB');
    const [natsPort, redisPort] = await Promise.all([
      portFor(ports.nats, 'NATS', 'NATS_PORT'),
      portFor(ports.redis, 'Redis', 'REDIS_PORT'),
    ]);
    // Users and passwords: generated at the first start, kept under the state folder.
    const credentials = localCredentials(dir('.'));
    const nats = await startNatsServer({ port: natsPort, dataDir: dir('nats'), passwords: credentials.nats });
    stops.push(() => nats.stop());
    pidFile.record('nats', nats.pid());
    checkAborted();
    const redis = await startRedisServer({ port: redisPort, dataDir: dir('redis'), passwords: credentials.redis });
    stops.push(() => redis.stop());
    pidFile.record('redis', redis.pid());
    checkAborted();
    let mongo: InfraServer;
    if (env.MONGO_URL) {
      mongo = { name: 'mongo', url: serverUrl(env.MONGO_URL), detail: 'external (MONGO_URL)' };
    } else {
      const mongoPort = await portFor(ports.mongo, 'MongoDB', 'MONGO_PORT');
      const server = await startMongoServer({ dataDir: dir('mongo'), port: mongoPort, kind: env.MONGO_SERVER as MongoKind | undefined });
      stops.push(() => server.stop());
      pidFile.record('mongo', server.pid());
      mongo = { name: 'mongo', url: server.url, server, detail: server.kind };
    }
    checkAborted();
    let jaeger: Stack['infra']['jaeger'];
    if (opts.traceStore && tracingEnabled(env) && !env.OTEL_EXPORTER_OTLP_ENDPOINT) {
      log('starting Jaeger (traces, in memory)');
      const [queryPort, otlpPort] = await Promise.all([
        portFor(ports.jaeger, 'Jaeger UI', 'JAEGER_PORT'),
        portFor(ports.jaegerOtlp, 'Jaeger OTLP receiver', 'JAEGER_OTLP_PORT'),
      ]);
      const server = await startJaeger({ ports: { query: queryPort, otlp: otlpPort }, dataDir: dir('jaeger') });
      stops.push(() => server.stop());
      pidFile.record('jaeger', server.pid());
      jaeger = { name: 'jaeger', url: server.queryUrl, server, detail: `Jaeger: traces UI + API, in memory; OTLP/HTTP receiver :${otlpPort}` };
    }
    checkAborted();
    const infra = {
      nats: { name: 'nats', url: nats.url, server: nats, detail: 'nats-server -js' },
      redis: { name: 'redis', url: redis.url, server: redis, detail: 'redis-server (AOF)' },
      mongo,
      ...(jaeger && { jaeger }),
    };

    // 2. services. Session keys: the environment's, else the development pair generated at
    // the first start under the state directory (never a committed key). Only auth gets the
    // private half.
    const sessionKeys = sessionKeysFromEnv(env) ?? ensureSessionKeys(path.join(opts.stateDir, 'session-keys'));
    if ('generated' in sessionKeys && sessionKeys.generated) log(`generated a development session key pair (${sessionKeys.kid}) in ${path.join(opts.stateDir, 'session-keys')}`);
    // The e-ticket code key (tickets only): the environment's, else a development pair of its
    // own, generated like the session keys (never a session key).
    const codeKey = ticketCodeKeyFromEnv(env) ?? ensureTicketCodeKey(path.join(opts.stateDir, TICKET_CODE_KEY_DIR));
    if ('generated' in codeKey && codeKey.generated) log(`generated a development e-ticket code key (${codeKey.kid}) in ${path.join(opts.stateDir, TICKET_CODE_KEY_DIR)}`);
    // The offline sandbox's webhook secret: generated once, kept in the state folder (with a
    // real STRIPE_KEY, payments requires STRIPE_WEBHOOK_SECRET from the environment instead).
    const webhookSecret =
      env.STRIPE_KEY || env.STRIPE_WEBHOOK_SECRET ? undefined : devSecret(opts.stateDir, 'STRIPE_WEBHOOK_SECRET', generateWebhookSecret);
    const serviceEnv = (service: ServiceName, port: number): NodeJS.ProcessEnv => ({
      ...withoutSigningKey(env),
      SESSION_PUBLIC_KEYS: sessionKeys.publicKeysJson,
      ...(service === 'auth' && { SESSION_SIGNING_KEY: sessionKeys.privateKeyPem, SESSION_SIGNING_KEY_ID: sessionKeys.kid }),
      ...(service === 'tickets' && { TICKET_CODE_SIGNING_KEY: codeKey.privateKeyPem, TICKET_CODE_KEY_ID: codeKey.kid }),
      NODE_ENV: env.NODE_ENV ?? 'development',
      HOST: '127.0.0.1',
      PORT: String(port),
      NATS_URL: nats.url,
      NATS_USER: service,
      NATS_PASSWORD: nats.credentials(service).pass,
      // Only the services that use Redis get a Redis user.
      ...(service === 'auth' || service === 'expiration' ? { REDIS_URL: redis.urlFor(service) } : {}),
      MONGO_URL: `${mongo.url}/${env.MONGO_DB_PREFIX ?? ''}${service}`,
      ...(service === 'payments' && webhookSecret ? { STRIPE_WEBHOOK_SECRET: webhookSecret } : {}),
      ...(jaeger && { OTEL_EXPORTER_OTLP_ENDPOINT: jaeger.server.otlpUrl }),
    });
    const urls = new Map<string, string>();
    const services: ServiceName[] = [...HTTP_SERVICES, ...WORKER_SERVICES];
    const serviceProcesses: ManagedProcess[] = [];
    stops.push(async () => {
      await Promise.all(serviceProcesses.map((p) => p.stop()));
    });
    const startReplica = async (service: ServiceName, i: number) => {
      // Ports in service-major order: auth-1, auth-2, tickets-1, …
      const offset = services.indexOf(service) * replicas + (i - 1);
      const port = await portFor(ports.serviceBase !== undefined ? ports.serviceBase + 10 + offset : undefined, `${service}-${i}`, 'SERVICE_PORT_BASE');
      const proc = new ManagedProcess(
        {
          name: `${service}-${i}`,
          command: process.execPath,
          args: ['--enable-source-maps', 'dist/index.js'],
          cwd: path.join(opts.root, service),
          env: serviceEnv(service, port),
        },
        onLine,
        spawned,
      );
      proc.start();
      serviceProcesses.push(proc);
      urls.set(proc.name, `http://127.0.0.1:${port}`);
      return proc;
    };
    const ready = (procs: ManagedProcess[]) => Promise.all(procs.map((p) => wait(p.name, () => httpOk(`${urls.get(p.name)}/readyz`), p)));
    log(`starting ${services.length} services × ${replicas}`);
    // The first replica of each service creates its collections and indexes before the others
    // start: two replicas creating one collection at once crash on the mongo-java-server stand-in.
    const firsts: ManagedProcess[] = [];
    for (const service of services) firsts.push(await startReplica(service, 1));
    await ready(firsts);
    const others: ManagedProcess[] = [];
    for (const service of services) for (let i = 2; i <= replicas; i++) others.push(await startReplica(service, i));
    await ready(others);
    const byService = (a: ManagedProcess, b: ManagedProcess) => services.indexOf(a.name.replace(/-\d+$/, '') as ServiceName) - services.indexOf(b.name.replace(/-\d+$/, '') as ServiceName) || a.name.localeCompare(b.name, 'en', { numeric: true });
    processes.push(...[...serviceProcesses].sort(byService));

    // 3. client
    const gatewayPort = await portFor(ports.gateway, 'gateway', 'PORT');
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const routes: GatewayRoute[] = HTTP_SERVICES.map((s) => ({
      prefix: PATH_RULES[s],
      health: '/readyz',
      ...(STREAMING_SERVICES.includes(s) && { stream: true }),
      targets: processes.filter((p) => p.name.startsWith(`${s}-`)).map((p) => urls.get(p.name)!),
    }));
    let client: ManagedProcess | undefined;
    if (opts.client !== false) {
      const clientPort = await portFor(ports.client, 'client', 'CLIENT_PORT');
      // The standalone server, as in the image (client/scripts/complete-standalone.mjs).
      client = new ManagedProcess(
        {
          name: 'client',
          command: process.execPath,
          args: [path.join(opts.root, 'client', '.next', 'standalone', 'client', 'server.js')],
          cwd: path.join(opts.root, 'client'),
          env: { ...withoutSigningKey(env), NODE_ENV: 'production', PORT: String(clientPort), HOSTNAME: '127.0.0.1', API_INTERNAL_URL: gatewayUrl },
        },
        onLine,
        spawned,
      );
      log('starting the client');
      client.start();
      processes.push(client);
      stops.push(() => client!.stop());
      urls.set('client', `http://127.0.0.1:${clientPort}`);
      routes.push({ prefix: '/', health: '/', targets: [urls.get('client')!] });
    }

    // 4. the edge: nginx (as production's ingress), or the Node gateway with LOCAL_EDGE=node
    const edgeKind = env.LOCAL_EDGE || 'nginx';
    let gateway: ManagedProcess;
    if (edgeKind === 'nginx') {
      const edge = await startNginxEdge({
        host: '127.0.0.1',
        port: gatewayPort,
        routes: routes.map((r) => ({ ...r, name: r.prefix === '/' ? 'client' : HTTP_SERVICES.find((s) => PATH_RULES[s] === r.prefix)! })),
        dir: dir('edge'),
        env: withoutSigningKey(env),
        onLine,
        onSpawn: spawned,
      });
      gateway = edge.process;
      stops.push(() => edge.stop());
    } else if (edgeKind === 'node') {
      gateway = new ManagedProcess(
        {
          name: 'gateway',
          command: process.execPath,
          args: ['--import', 'tsx', path.join(__dirname, 'gateway.ts')],
          cwd: path.join(opts.root, 'infra', 'local'),
          env: { ...withoutSigningKey(env), PORT: String(gatewayPort), HOST: '127.0.0.1', GATEWAY_ROUTES: JSON.stringify(routes) },
        },
        onLine,
        spawned,
      );
      gateway.start();
      stops.push(() => gateway.stop());
    } else {
      throw new Error(`LOCAL_EDGE must be nginx or node (got ${edgeKind})`);
    }
    processes.push(gateway);
    urls.set('gateway', gatewayUrl);
    await wait('gateway', () => httpOk(`${gatewayUrl}/gateway/healthz`), gateway);
    if (client) {
      const clientUrl = urls.get('client')!;
      await wait('client', () => fetch(clientUrl, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status < 500), client);
    }

    const byName = (name: string) => {
      const p = processes.find((x) => x.name === name);
      if (!p) throw new Error(`no process ${name}`);
      return p;
    };
    return {
      gatewayUrl,
      sessionKeys,
      ticketCodeKey: { kid: codeKey.kid, privateKeyPem: codeKey.privateKeyPem },
      processes,
      infra,
      process: byName,
      urlOf: (name) => urls.get(name) ?? (infra as Record<string, InfraServer>)[name]?.url ?? '',
      table: () => {
        const rows = [
          ...Object.values(infra).map((i: InfraServer) => [i.name, i.detail, i.url, '']),
          ...processes.map((p) => [p.name, p.name === 'gateway' ? `edge (${edgeKind}), ingress path rules` : p.name === 'client' ? 'Next.js' : p.name.startsWith('expiration') ? 'worker (probes only)' : 'service', urls.get(p.name)!, String(p.pid ?? '')]),
        ];
        const header = ['NAME', 'WHAT', 'URL', 'PID'];
        const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
