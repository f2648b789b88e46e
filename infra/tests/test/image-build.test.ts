// The Dockerfiles, built by the Docker engine: every image build.sh made becomes ready against
// real servers (on the host's network, with the environment its dev-overlay Deployment gives it,
// in-cluster addresses replaced by this run's NATS, MongoDB-wire and Redis servers) and, for
// services, stops cleanly on SIGTERM; no test-only package is in a production image; the dev
// stage (what `skaffold dev` runs) serves from the TypeScript sources; a Dockerfile that forgets
// `common` fails to build or to start. Needs the engine and the images (like images.test.ts).
import type { NatsUser, RedisUser } from '@ticketing/common';
import { connectTestJetStream, freePort, startNatsServer, startRedisServer, type NatsTestServer, type RedisTestServer } from '@ticketing/dev-servers';
import { buildImage, HostContainer, removeImage } from '../src/docker-build';
import { devDeploymentEnv, docker, dockerUnavailable, inspectImage, isInClusterUrl, isService, projectImage } from '../src/images';
import { SERVICE_DOCKERFILE } from '../src/dockerfile';
import { IMAGES, readRepoFile, type ImageName } from '../src/repo';

/** What only tests use: never installed into a production image. */
const TEST_ONLY_PACKAGES = ['@ticketing/dev-servers', 'mongodb-memory-server-core'];
/** The image the Dockerfile-fault tests build: a service with a database, JetStream listeners and JWT. */
const FAULT_IMAGE = 'tickets';
const HOW_TO_BUILD = 'start the engine with `bash infra/images/dockerd.sh start` (root) and build with `bash infra/images/build.sh`';
const testTag = (what: string) => `ticketing-test/${FAULT_IMAGE}:${what}-${process.pid}`;

let nats: NatsTestServer;
let redis: RedisTestServer;
const builtTags: string[] = [];

beforeAll(async () => {
  const reason = await dockerUnavailable();
  if (reason) throw new Error(`no Docker engine answers (${reason}): ${HOW_TO_BUILD}`);
  const missing = (await Promise.all(IMAGES.map(async (name) => ((await inspectImage(projectImage(name))) ? [] : [projectImage(name)])))).flat();
  if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')}: ${HOW_TO_BUILD}`);
  nats = await startNatsServer();
  // Every stream exists, as in a running cluster: each image runs alone here, and a service
  // waits (not ready) until the owners of the streams it consumes have created them.
  await (await connectTestJetStream(nats)).close();
  redis = await startRedisServer();
}, 60_000);

afterAll(async () => {
  await Promise.all(builtTags.map(removeImage));
  await nats?.destroy();
  await redis?.destroy();
});

/** The dev overlay's environment for `name`, pointed at this run's servers. */
function localEnv(name: ImageName): Record<string, string> {
  const { container, env } = devDeploymentEnv(name);
  expect(container.command).toBeUndefined(); // the image's CMD is what runs in the cluster
  expect(container.args).toBeUndefined();
  for (const [key, value] of Object.entries(env)) {
    if (!isInClusterUrl(value)) continue;
    const url = new URL(value);
    if (url.protocol === 'nats:') env[key] = nats.url;
    else if (url.protocol === 'redis:') env[key] = redis.urlFor(url.username as RedisUser); // the service's own Redis user
    // Without the service's MongoDB user: the stand-in has no access control.
    else if (url.protocol === 'mongodb:') env[key] = `${process.env.MONGO_URL}/infra-image-${name}`;
    // No collector here: tracing stays on, and with no endpoint nothing is exported.
    else if (key === 'OTEL_EXPORTER_OTLP_ENDPOINT') delete env[key];
    else throw new Error(`${key}: no local stand-in for ${value}`);
  }
  // The service's own NATS user on this run's server (the manifests name the users; the Secrets' passwords are the cluster's).
  if (env.NATS_USER) env.NATS_PASSWORD = nats.credentials(env.NATS_USER as NatsUser).pass;
  if (name === 'client') {
    env.HOSTNAME = '127.0.0.1';
    env.API_INTERNAL_URL = 'http://127.0.0.1:9'; // nothing there: pages that need the API degrade
  }
  return { ...env, HOST: '127.0.0.1' }; // the bind address on the host's network (0.0.0.0 in a pod)
}

test.each(IMAGES)('%s: the built image has no test-only package, becomes ready against real servers, and stops cleanly', async (name) => {
  const image = projectImage(name);
  const present = await docker(['run', '--rm', '--network', 'none', '--read-only', '--entrypoint', 'node', image, '-e',
    `const fs = require('fs'); console.log(JSON.stringify(${JSON.stringify(TEST_ONLY_PACKAGES)}.filter((p) => fs.existsSync('/app/node_modules/' + p))))`]);
  expect(JSON.parse(present)).toEqual([]);
  expect(await docker(['image', 'inspect', '--format', '{{json .Config.ExposedPorts}}', image])).toContain('3000/tcp');

  const container = await HostContainer.start(image, localEnv(name), await freePort());
  try {
    if (name === 'client') {
      await container.waitForStatus('/icon.svg', 200); // the Deployment's readiness path
      const page = await fetch(`http://127.0.0.1:${container.port}/`);
      expect(page.status).toBeLessThan(500);
    } else {
      await container.waitForStatus('/healthz', 200);
      await container.waitForStatus('/readyz', 200); // connected to NATS (and MongoDB / Redis)
    }
    const exit = await container.stop();
    if (isService(name)) expect({ exit, output: exit === 0 ? '' : await container.logs() }).toEqual({ exit: 0, output: '' });
  } finally {
    await container.remove();
  }
}, 5 * 60_000);

test(`${FAULT_IMAGE}: the dev stage (what skaffold dev runs) serves from the TypeScript sources`, async () => {
  const tag = testTag('dev');
  builtTags.push(tag);
  const built = await buildImage(readRepoFile(...SERVICE_DOCKERFILE.split('/')), tag, { SERVICE: FAULT_IMAGE }, 'dev');
  expect({ ok: built.ok, output: built.ok ? '' : built.output.slice(-4000) }).toEqual({ ok: true, output: '' });
  expect(JSON.parse(await docker(['image', 'inspect', '--format', '{{json .Config.Cmd}}', tag]))).toEqual(['../node_modules/.bin/tsx', 'watch', 'src/index.ts']);
  // Not read-only: tsx keeps its compile cache in the home directory, as it would under skaffold dev.
  const container = await HostContainer.start(tag, localEnv(FAULT_IMAGE), await freePort(), { readOnly: false });
  try {
    await container.waitForStatus('/healthz', 200);
    await container.waitForStatus('/readyz', 200);
  } finally {
    await container.remove();
  }
}, 15 * 60_000);

describe('a Dockerfile that forgets common', () => {
  /** service.Dockerfile without the one line matching `line`. */
  function without(line: RegExp): string {
    const lines = readRepoFile(...SERVICE_DOCKERFILE.split('/')).split('\n');
    const kept = lines.filter((l) => !line.test(l));
    expect(lines.length - kept.length).toBe(1);
    return kept.join('\n');
  }

  test("fails to build when the build stage does not copy common's sources", async () => {
    const tag = testTag('no-common-sources');
    builtTags.push(tag);
    const built = await buildImage(without(/^COPY common\/ common\/$/), tag, { SERVICE: FAULT_IMAGE }, 'runtime');
    expect(built.ok).toBe(false);
    // The step that fails is common's build (its sources are missing), not an earlier one.
    expect(built.output).toMatch(/ERROR: .*failed.*npm run build --workspace @ticketing\/common/);
    expect(built.output).toMatch(/npm error workspace @ticketing\/common/);
  }, 15 * 60_000);

  test("builds, but cannot start, when the runtime stage does not copy common's compiled code", async () => {
    const tag = testTag('no-common-dist');
    builtTags.push(tag);
    const built = await buildImage(without(/^COPY --from=build \/app\/common\/dist common\/dist$/), tag, { SERVICE: FAULT_IMAGE }, 'runtime');
    expect({ ok: built.ok, output: built.ok ? '' : built.output.slice(-4000) }).toEqual({ ok: true, output: '' });
    const container = await HostContainer.start(tag, localEnv(FAULT_IMAGE), await freePort());
    try {
      expect(await container.exited()).not.toBe(0);
      expect(await container.logs()).toMatch(/Cannot find module|@ticketing\/common/);
    } finally {
      await container.remove();
    }
  }, 15 * 60_000);
});
