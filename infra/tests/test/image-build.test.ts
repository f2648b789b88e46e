// Each Dockerfile's build steps, run outside Docker on a clean copy of the repository (the
// build context after .dockerignore), produce a runnable image: its CMD, started in its
// WORKDIR with the environment its dev-overlay Deployment gives it (in-cluster addresses
// replaced by this run's NATS, MongoDB-wire and Redis servers), answers /healthz (and, for
// services, becomes ready and stops cleanly). A build that forgets `common` fails.
//
// Slow (npm ci + tsc per image): by default one service; INFRA_SMOKE_ALL=1 builds all images
// including the client (CI's infra workflow does).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { NatsUser, RedisUser } from '@ticketing/common';
import { connectTestJetStream, startNatsServer, startRedisServer, type NatsTestServer, type RedisTestServer } from '@ticketing/dev-servers';
import { createBuildContext } from '../src/docker-context';
import { buildImage, DockerBuildError, newLayerCache, type BuiltImage } from '../src/docker-sandbox';
import { loadDockerfile, stageNamed, type Dockerfile } from '../src/dockerfile';
import { resolveContainerEnv } from '../src/env';
import { findObject, mainContainer, renderOverlay, type Workload } from '../src/k8s';
import { IMAGES, SERVICES, type ImageName } from '../src/repo';
import { runImage, waitForStatus } from '../src/run-image';

const SMOKE_ALL = process.env.INFRA_SMOKE_ALL === '1';
/** What only tests use: never installed into a production image. */
const TEST_ONLY_PACKAGES = ['@ticketing/dev-servers', 'mongodb-memory-server-core'];
/** The default run's image: a service with a database, JetStream listeners and JWT. */
const DEFAULT_IMAGE: ImageName = 'tickets';
const images: ImageName[] = SMOKE_ALL ? [...IMAGES] : [DEFAULT_IMAGE];

const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim();
const cache = newLayerCache();
let work: string;
let context: string;
let nats: NatsTestServer;
let redis: RedisTestServer | undefined;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'infra-image-'));
  context = path.join(work, 'context');
  createBuildContext(context);
  nats = await startNatsServer();
  // Every stream exists, as in a running cluster: each image runs alone here, and a service
  // waits (not ready) until the owners of the streams it consumes have created them.
  await (await connectTestJetStream(nats)).close();
  if (images.some((i) => i === 'auth' || i === 'expiration')) redis = await startRedisServer();
}, 60_000);

afterAll(async () => {
  await nats?.destroy();
  await redis?.destroy();
  if (work && process.env.INFRA_KEEP_WORK !== '1') rmSync(work, { recursive: true, force: true });
});

/** The dev overlay's environment for `name`, pointed at this run's servers. */
function localEnv(name: ImageName): Record<string, string> {
  const objects = renderOverlay('dev');
  const container = mainContainer(findObject<Workload>(objects, 'Deployment', name));
  expect(container.command).toBeUndefined(); // the image's CMD is what runs in the cluster
  expect(container.args).toBeUndefined();
  const { env } = resolveContainerEnv(container, objects);
  for (const [key, value] of Object.entries(env)) {
    if (!/^[a-z]+:\/\/([^/@\s]+@)?[^./:@]+(:\d+)?(\/|$)/.test(value)) continue; // only in-cluster service URLs
    const url = new URL(value);
    if (url.protocol === 'nats:') env[key] = nats.url;
    else if (url.protocol === 'redis:') env[key] = redis!.url;
    // Without the service's MongoDB user: the stand-in has no access control.
    else if (url.protocol === 'mongodb:') env[key] = `${process.env.MONGO_URL}/infra-smoke-${name}`;
    // No collector in this smoke test: tracing stays on, and with no endpoint nothing is exported.
    else if (key === 'OTEL_EXPORTER_OTLP_ENDPOINT') delete env[key];
    else throw new Error(`${key}: no local stand-in for ${value}`);
  }
  // The service's own users on this run's servers (the manifests name the users; the Secrets' passwords are the cluster's).
  if (env.NATS_USER) env.NATS_PASSWORD = nats.credentials(env.NATS_USER as NatsUser).pass;
  if (env.REDIS_URL) env.REDIS_URL = redis!.urlFor(new URL(env.REDIS_URL).username as RedisUser);
  if (name === 'client') {
    env.HOSTNAME = '127.0.0.1';
    env.API_INTERNAL_URL = 'http://127.0.0.1:9'; // nothing there: pages that need the API degrade
  }
  return { ...env, HOST: '127.0.0.1' }; // runService's bind address (0.0.0.0 in a container)
}

async function build(df: Dockerfile, snapshots = false, target?: string): Promise<BuiltImage> {
  return buildImage(df, { context, workDir: work, npmCache, cache, snapshots, target, runTimeoutMs: 8 * 60_000 });
}

test.each(images)('%s: the Dockerfile builds a runnable image that answers its probes', async (name) => {
  const image = await build(loadDockerfile(name), name === DEFAULT_IMAGE);
  expect(image.user).toBe('1000:1000');
  expect(image.expose).toContain('3000');
  expect(TEST_ONLY_PACKAGES.filter((p) => existsSync(path.join(image.root, 'app', 'node_modules', p)))).toEqual([]);
  const run = await runImage(image, localEnv(name));
  try {
    if (name === 'client') {
      await waitForStatus(run, '/icon.svg', 200); // the Deployment's readiness path
      const page = await fetch(`http://127.0.0.1:${run.port}/`);
      expect(page.status).toBeLessThan(500);
    } else {
      await waitForStatus(run, '/healthz', 200);
      await waitForStatus(run, '/readyz', 200); // connected to NATS (and MongoDB / Redis)
    }
  } finally {
    const exit = await run.stop();
    if (SERVICES.includes(name as (typeof SERVICES)[number])) expect({ exit, output: exit === 0 ? '' : run.output() }).toEqual({ exit: 0, output: '' });
  }
}, 15 * 60_000);

test(`${DEFAULT_IMAGE}: the dev stage (what skaffold dev runs) serves from the TypeScript sources`, async () => {
  const image = await build(loadDockerfile(DEFAULT_IMAGE), false, 'dev');
  expect(image.cmd?.slice(1)).toEqual(['watch', 'src/index.ts']);
  const run = await runImage(image, localEnv(DEFAULT_IMAGE));
  try {
    await waitForStatus(run, '/healthz', 200);
    await waitForStatus(run, '/readyz', 200);
  } finally {
    await run.stop();
  }
}, 10 * 60_000);

describe('a build that forgets common', () => {
  const df = () => loadDockerfile(DEFAULT_IMAGE);

  test("fails when the build stage does not copy common's sources", async () => {
    const broken = structuredClone(df());
    const stage = stageNamed(broken, 'build');
    const before = stage.instructions.length;
    stage.instructions = stage.instructions.filter((i) => !(i.keyword === 'COPY' && /^common\/?\s/.test(i.args)));
    expect(stage.instructions.length).toBe(before - 1);
    const failure = await build(broken).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(DockerBuildError);
    expect((failure as DockerBuildError).instruction.args).toMatch(/@ticketing\/common/);
  }, 10 * 60_000);

  test("builds, but cannot start, when the runtime stage does not copy common's compiled code", async () => {
    const broken = structuredClone(df());
    const stage = stageNamed(broken, 'runtime');
    const before = stage.instructions.length;
    stage.instructions = stage.instructions.filter((i) => !(i.keyword === 'COPY' && i.flags.length > 0 && /\bcommon\/dist\b/.test(i.args)));
    expect(stage.instructions.length).toBe(before - 1);
    const image = await build(broken);
    const run = await runImage(image, localEnv(DEFAULT_IMAGE));
    const exit = await run.exited;
    expect(exit).not.toBe(0);
    expect(run.output()).toMatch(/Cannot find module|@ticketing\/common/);
  }, 10 * 60_000);
});
