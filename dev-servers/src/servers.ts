import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { NATS_USERS, natsAuthorizationConfig, REDIS_USER_NAMES, redisAclFile, redisUrlFor, type NatsUser, type NatsCredentials, type RedisUser } from '@ticketing/common';
import { findBinary, MissingBinaryError } from './binaries';
import { freePort, spawnServer, waitForPort, type ManagedProcess } from './process';

export interface TestServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, or SIGKILL to simulate a crash). Data stays on disk. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Sends a signal to the running server, e.g. SIGSTOP/SIGCONT to freeze and thaw it. */
  signal(signal: NodeJS.Signals): void;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
  /** The server process's id while it runs (the local stack records it to clean up after a crash). */
  pid(): number | undefined;
}

export interface ServerSpec {
  name: string;
  command: () => string;
  args: (port: number, dataDir: string) => string[];
  /** Writes what the server reads at start (its configuration) into its data directory. */
  prepare?: (dataDir: string) => void;
  url: (port: number) => string;
  dataDir?: string;
  port?: number;
  startTimeoutMs?: number;
}

/** Starts `spec` on its port (a free one unless given) and resolves once it accepts connections. */
export async function startServer(spec: ServerSpec): Promise<TestServer> {
  const command = spec.command();
  const port = spec.port ?? (await freePort());
  const ownsDir = !spec.dataDir;
  const dataDir = spec.dataDir ?? mkdtempSync(path.join(tmpdir(), `${spec.name}-`));
  spec.prepare?.(dataDir);
  let proc: ManagedProcess | undefined;
  const start = async () => {
    proc = spawnServer(command, spec.args(port, dataDir));
    try {
      await waitForPort(port, spec.startTimeoutMs ?? 20_000, proc.child);
    } catch (err) {
      throw new Error(`${spec.name} did not start: ${(err as Error).message}\n${proc.output()}`, { cause: err });
    }
  };
  await start();
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    await proc?.stop(signal);
  };
  return {
    url: spec.url(port),
    port,
    stop,
    start,
    signal: (signal) => {
      proc?.child?.kill(signal);
    },
    destroy: async () => {
      await stop();
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
    pid: () => proc?.pid,
  };
}

/** A password for a test or development server: 24 random bytes, hex (safe in URLs and configs). */
export function randomPassword(): string {
  return randomBytes(24).toString('hex');
}

export type NatsPasswords = Record<NatsUser, string>;

/** A random password for every NATS user (a test run's, or the local stack's first start). */
export function randomNatsPasswords(): NatsPasswords {
  return Object.fromEntries(NATS_USERS.map((u) => [u, randomPassword()])) as NatsPasswords;
}

export interface NatsTestServer extends TestServer {
  /** The user's credentials on this server: each service's, or `admin` (anything). */
  credentials(user: NatsUser): NatsCredentials;
}

/**
 * `nats-server -js` on a free loopback port with its own store directory, and the
 * authorization the manifests use (natsAuthorizationConfig): one user per service with the
 * catalog's permissions, an admin user, no anonymous access. Passwords are random per server
 * unless given (the local stack keeps its own).
 */
export async function startNatsServer(
  opts: { port?: number; dataDir?: string; passwords?: NatsPasswords } = {},
): Promise<NatsTestServer> {
  const { passwords = randomNatsPasswords(), ...rest } = opts;
  const configFile = (dir: string) => path.join(dir, 'authorization.conf');
  const server = await startServer({
    name: 'nats-server',
    command: () => findBinary('nats-server'),
    prepare: (dir) => writeFileSync(configFile(dir), natsAuthorizationConfig((u) => ({ value: passwords[u] })), { mode: 0o600 }),
    args: (port, dir) => ['-c', configFile(dir), '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir],
    url: (port) => `nats://127.0.0.1:${port}`,
    ...rest,
  });
  return { ...server, credentials: (user) => ({ user, pass: passwords[user] }) };
}

export type RedisPasswords = Record<RedisUser, string>;

export function randomRedisPasswords(): RedisPasswords {
  return Object.fromEntries(REDIS_USER_NAMES.map((u) => [u, randomPassword()])) as RedisPasswords;
}

export interface RedisTestServer extends TestServer {
  /** `redis://<user>:<password>@…`: the URL a service (or the admin) connects with. `url` has no credentials. */
  urlFor(user: RedisUser): string;
}

/**
 * `redis-server` on a free loopback port, append-only persistence in its own directory, and
 * the ACL the manifests use (redisAclFile): the `default` user off, one user per service on
 * its own keys. Passwords are random per server unless given (the local stack keeps its own).
 */
export async function startRedisServer(
  opts: { port?: number; dataDir?: string; passwords?: RedisPasswords } = {},
): Promise<RedisTestServer> {
  const { passwords = randomRedisPasswords(), ...rest } = opts;
  const aclFile = (dir: string) => path.join(dir, 'users.acl');
  const server = await startServer({
    name: 'redis-server',
    command: () => findBinary('redis-server'),
    prepare: (dir) => writeFileSync(aclFile(dir), redisAclFile(passwords), { mode: 0o600 }),
    args: (port, dir) => [
      '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--aclfile', aclFile(dir),
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--protected-mode', 'yes',
    ],
    url: (port) => `redis://127.0.0.1:${port}`,
    ...rest,
  });
  return { ...server, urlFor: (user) => redisUrlFor(server.url, user, passwords[user]) };
}

/** FerretDB with its SQLite backend. Not atomic for concurrent updates: see README. */
export function startFerretDB(opts: { port?: number; dataDir?: string } = {}): Promise<TestServer> {
  return startServer({
    name: 'ferretdb',
    command: () => findBinary('ferretdb'),
    args: (port, dir) => [
      '--handler=sqlite', `--sqlite-url=file:${dir}/`, `--listen-addr=127.0.0.1:${port}`,
      '--telemetry=disable', '--log-level=warn', `--state-dir=${dir}`, '--debug-addr=-',
    ],
    url: (port) => `mongodb://127.0.0.1:${port}`,
    ...opts,
  });
}

export function mongoJavaServerJar(): string {
  const cache = process.env.TICKETING_CACHE ?? path.join(homedir(), '.cache', 'ticketing');
  return process.env.MONGO_JAVA_SERVER_JAR ?? path.join(cache, 'mongo-java-server', 'mongo-java-server.jar');
}

/** mongo-java-server (in memory, or H2 files with a dataDir): see infra/mongo-java-server. */
export function startMongoJavaServer(opts: { port?: number; dataDir?: string; persist?: boolean } = {}): Promise<TestServer> {
  const jar = mongoJavaServerJar();
  if (!existsSync(jar)) {
    throw new MissingBinaryError('mongo-java-server', 'infra/scripts/install-mongo-java-server.sh (needs java and maven)');
  }
  return startServer({
    name: 'mongo-java-server',
    command: () => findBinary('java'),
    args: (port, dir) => ['-jar', jar, '--port', String(port), ...(opts.persist ? ['--data-dir', dir] : [])],
    url: (port) => `mongodb://127.0.0.1:${port}`,
    startTimeoutMs: 30_000,
    ...opts,
  });
}

export type MongoKind = 'memory-server' | 'mongo-java-server' | 'ferretdb';

/**
 * A MongoDB-wire server for tests and the local stack, in this order unless MONGO_SERVER
 * names one: mongodb-memory-server (a real mongod, where it can be downloaded), then
 * mongo-java-server. FerretDB only when asked for (MONGO_SERVER=ferretdb): its updates are
 * not atomic. Fails with a message that says how to get a server; never skips.
 */
export async function startMongoServer(
  opts: { kind?: MongoKind; dataDir?: string; port?: number } = {},
): Promise<TestServer & { kind: MongoKind }> {
  const wanted = opts.kind ?? (process.env.MONGO_SERVER as MongoKind | undefined);
  const order: MongoKind[] = wanted ? [wanted] : ['memory-server', 'mongo-java-server'];
  const failures: string[] = [];
  for (const kind of order) {
    try {
      if (kind === 'memory-server') return { kind, ...(await startMemoryServer(opts)) };
      if (kind === 'mongo-java-server') return { kind, ...(await startMongoJavaServer({ ...opts, persist: !!opts.dataDir })) };
      if (kind === 'ferretdb') return { kind, ...(await startFerretDB(opts)) };
      // MONGO_SERVER can name anything, whatever MongoKind says.
      failures.push(`${kind as string}: unknown MONGO_SERVER (use memory-server, mongo-java-server or ferretdb)`);
    } catch (err) {
      failures.push(`${kind}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `No MongoDB-wire server available. Set MONGO_URL to a running server, or install one:\n  ${failures.join('\n  ')}`,
  );
}

/**
 * Whether mongodb-memory-server can get a mongod: one given or cached, or its download host
 * resolves. Checked first so that an offline machine moves on at once, without the
 * library's three noisy download attempts.
 */
async function mongodObtainable(): Promise<boolean> {
  if (process.env.MONGOMS_SYSTEM_BINARY || process.env.MONGOMS_DOWNLOAD_URL) return true;
  const cache = process.env.MONGOMS_DOWNLOAD_DIR ?? path.join(homedir(), '.cache', 'mongodb-binaries');
  if (existsSync(cache) && readdirSync(cache).some((f) => f.startsWith('mongod'))) return true;
  return Promise.race([
    lookup('fastdl.mongodb.org').then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3_000).unref()),
  ]);
}

async function startMemoryServer(opts: { dataDir?: string; port?: number }): Promise<TestServer> {
  if (process.env.MONGOMS_DISABLE === '1') throw new Error('disabled by MONGOMS_DISABLE=1');
  if (!(await mongodObtainable())) throw new Error('no cached mongod and its download host is unreachable');
  const mod = await import('mongodb-memory-server-core').catch(() => {
    throw new Error('mongodb-memory-server-core is not installed');
  });
  const instance = { ip: '127.0.0.1', port: opts.port, dbPath: opts.dataDir, storageEngine: 'wiredTiger' as const };
  const server = await mod.MongoMemoryServer.create({ instance });
  const port = Number(new URL(server.getUri()).port);
  return {
    url: `mongodb://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await server.stop({ doCleanup: false, force: false });
    },
    start: async () => {
      await server.start(true);
    },
    signal: (signal) => {
      server.instanceInfo?.instance.mongodProcess?.kill(signal);
    },
    destroy: async () => {
      await server.stop({ doCleanup: !opts.dataDir, force: true });
    },
    pid: () => server.instanceInfo?.instance.mongodProcess?.pid,
  };
}
