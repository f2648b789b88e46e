// One version everywhere: the Node.js and the servers the tests run are the ones the images and
// the cluster run. A bump in one place (an image tag, .node-version, install-nats-server.sh)
// without the others fails here.
import { composeDefaultImage, composeServices, defaulted } from '../src/compose';
import { imageNames } from '../src/images';
import { readEnvFile, readRepoFile } from '../src/repo';
import {
  clusterImages, dockerBaseImages, memoryServerMongodVersion, parseVersion, pinnedJaegerVersion, REDIS_MINORS, pinnedNatsServerVersion, pinnedNodeVersion, pinnedTraefikVersion, setupNodeSteps, testJaegerVersion, testServerVersion,
} from '../src/versions';

const nodeMajor = parseVersion(pinnedNodeVersion()).major;
const rootPackage = JSON.parse(readRepoFile('package.json')) as { engines: { node: string }; devDependencies: Record<string, string> };

describe(`Node.js ${pinnedNodeVersion()} (.node-version)`, () => {
  test('is the major these tests run on (install-node.sh links it for the npm scripts when the machine’s differs)', () => {
    expect(parseVersion(process.versions.node).major).toBe(nodeMajor);
  });

  test('is the major of every image’s base, of engines and of @types/node', () => {
    const bases = dockerBaseImages();
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toBe(`node:${nodeMajor}-bookworm-slim`);
    expect(rootPackage.engines.node).toBe(`>=${nodeMajor}`);
    expect(parseVersion(rootPackage.devDependencies['@types/node']).major).toBe(nodeMajor);
  });

  test('is what every CI job sets up (node-version-file, never a number of its own)', () => {
    const steps = setupNodeSteps();
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect({ [step.file]: step.with }).toEqual({ [step.file]: expect.objectContaining({ 'node-version-file': '.node-version' }) });
    for (const step of steps) expect({ [step.file]: 'node-version' in step.with }).toEqual({ [step.file]: false });
  });
});

describe('the servers the tests start match the cluster’s images', () => {
  test('nats-server: the build the tests run is the version install-nats-server.sh pins, and the image pins its minor', () => {
    const pinned = parseVersion(pinnedNatsServerVersion());
    expect(testServerVersion('nats-server')).toBe(`nats-server: ${pinnedNatsServerVersion()}`);
    for (const image of clusterImages('nats')) expect(image).toBe(`nats:${pinned.major}.${pinned.minor}-alpine`);
  });

  test('traefik: the component runs the official image of the release install-traefik.sh builds (the stand-in\'s), and vendor-crds.sh\'s Gateway API is the CRDs\' bundle version', () => {
    const component = readRepoFile('infra', 'k8s', 'components', 'gateway-traefik', 'traefik.yaml');
    expect(component).toContain(`image: traefik:${pinnedTraefikVersion()}`);
    const gatewayApi = /GATEWAY_API_VERSION:-(v[\d.]+)/.exec(readRepoFile('infra', 'k8s', 'gateway-api', 'vendor-crds.sh'))?.[1];
    expect(readRepoFile('infra', 'k8s', 'gateway-api', 'crds', 'gateway.networking.k8s.io_httproutes.yaml')).toContain(`gateway.networking.k8s.io/bundle-version: ${gatewayApi}`);
  });

  test('jaeger: the build npm start and the e2e tracing test run is the release install-jaeger.sh pins, as the README says', () => {
    expect(testJaegerVersion()).toBe(pinnedJaegerVersion());
    expect(readRepoFile('README.md')).toContain(`Jaeger ${pinnedJaegerVersion()} (\`jaeger\``);
  });

  test(`redis-server: the tests run ${REDIS_MINORS.tests}, the image pins ${REDIS_MINORS.image} (the one gap kept, see REDIS_MINORS), same major`, () => {
    const tested = parseVersion(testServerVersion('redis-server').replace(/^.*\bv=/, ''));
    expect(`${tested.major}.${tested.minor}`).toBe(REDIS_MINORS.tests);
    for (const image of clusterImages('redis')) expect(image).toBe(`redis:${REDIS_MINORS.image}-alpine`);
    expect(parseVersion(REDIS_MINORS.image).major).toBe(tested.major);
  });

  test('MongoDB: the image’s major is the major of the mongod the tests start where one can be had (mongodb-memory-server’s default)', () => {
    // Where no mongod can be downloaded the tests use mongo-java-server, a wire-protocol
    // stand-in with no MongoDB version of its own (README, "Which versions run where").
    const mongod = parseVersion(memoryServerMongodVersion());
    for (const svc of ['auth', 'tickets', 'orders', 'payments']) {
      for (const image of clusterImages(`${svc}-mongo`)) expect(image).toBe(`mongo:${mongod.major}`);
    }
  });
});

describe('compose.yaml runs the images the manifests pin', () => {
  test('the official nats, redis and mongo images of infra/k8s/base, one MongoDB per service', () => {
    expect(composeDefaultImage('nats')).toBe(clusterImages('nats')[0]);
    expect(composeServices()['nats-data-owner'].image).toBe(composeServices().nats.image);
    expect(composeDefaultImage('redis')).toBe(clusterImages('redis')[0]);
    for (const svc of ['auth', 'tickets', 'orders', 'payments']) expect(composeDefaultImage(`${svc}-mongo`)).toBe(clusterImages(`${svc}-mongo`)[0]);
  });

  test('its builds use the Dockerfiles’ default base image (the official Node of .node-version)', () => {
    const builds = Object.entries(composeServices()).filter(([, s]) => s.build);
    expect(builds.map(([name]) => name).sort()).toEqual(['auth', 'client', 'expiration', 'live', 'orders', 'payments', 'tickets']);
    for (const [, s] of builds) expect(defaulted(s.build!.args!.NODE_IMAGE)?.fallback).toBe(dockerBaseImages()[0]);
    expect(new Set(dockerBaseImages())).toEqual(new Set([`node:${nodeMajor}-bookworm-slim`]));
  });

  test('its stand-in images (infra/compose/standins.env) are infra/images/names.env’s', () => {
    const standIns = readEnvFile('infra', 'compose', 'standins.env');
    const names = imageNames();
    expect(standIns).toEqual({ MONGO_IMAGE: names.STANDIN_MONGO, NATS_IMAGE: names.STANDIN_NATS, REDIS_IMAGE: names.STANDIN_REDIS, EDGE_IMAGE: names.STANDIN_NGINX });
    for (const variable of Object.keys(standIns)) expect(Object.values(composeServices()).some((s) => s.image?.startsWith(`\${${variable}:-`))).toBe(true);
  });
});
