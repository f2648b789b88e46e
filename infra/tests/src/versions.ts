// The runtime versions each place names, read from where they are declared, so that one test
// (test/versions.test.ts) can hold them together: what the images run is what the tests run.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { findBinary } from '@ticketing/dev-servers';
import { loadDockerfile } from './dockerfile';
import { findObject, mainContainer, renderOverlay, type Workload } from './k8s';
import { IMAGES, OVERLAYS, readRepoFile, repoPath } from './repo';
import { parseYaml } from './yaml';

/** `major.minor.patch` → its parts; the leading `v` of a Go version is dropped. */
export function parseVersion(text: string): { major: number; minor: number; patch: number } {
  const m = /v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) throw new Error(`no version in "${text}"`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/** The Node.js version of .node-version: the one install-node.sh installs and CI's setup-node reads. */
export const pinnedNodeVersion = () => readRepoFile('.node-version').trim();

/** Every base image the Dockerfiles start a stage from (stages built on another stage left out). */
export function dockerBaseImages(): string[] {
  return IMAGES.flatMap((name) => {
    const df = loadDockerfile(name);
    return df.stages.filter((s) => !df.stages.some((o) => o.name === s.from)).map((s) => s.from);
  });
}

/** Each actions/setup-node step's `with`, by workflow file. */
export function setupNodeSteps(): { file: string; with: Record<string, unknown> }[] {
  const dir = repoPath('.github', 'workflows');
  return readdirSync(dir).filter((f) => f.endsWith('.yml')).flatMap((file) => {
    const wf = parseYaml(readRepoFile('.github', 'workflows', file), file) as { jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> };
    return Object.values(wf.jobs).flatMap((job) => job.steps ?? [])
      .filter((s) => s.uses?.startsWith('actions/setup-node@'))
      .map((s) => ({ file, with: s.with ?? {} }));
  });
}

/** The image (`name:tag`) of a StatefulSet's main container (e.g. `nats`) in each overlay. */
export function clusterImages(statefulSet: string): string[] {
  return OVERLAYS.map((overlay) => mainContainer(findObject<Workload>(renderOverlay(overlay), 'StatefulSet', statefulSet)).image!);
}

/** The version install-nats-server.sh builds from the Go module proxy. */
export function pinnedNatsServerVersion(): string {
  const m = /NATS_SERVER_VERSION:-(v[\d.]+)/.exec(readRepoFile('infra', 'scripts', 'install-nats-server.sh'));
  if (!m) throw new Error('install-nats-server.sh pins no version');
  return m[1];
}

/** The Traefik release infra/cluster/install-traefik.sh builds (e.g. v3.7.13). */
export function pinnedTraefikVersion(): string {
  const m = /TRAEFIK_VERSION:-(v[\d.]+)/.exec(readRepoFile('infra', 'cluster', 'install-traefik.sh'));
  if (!m) throw new Error('install-traefik.sh pins no version');
  return m[1];
}

/** The Jaeger release install-jaeger.sh builds (e.g. v2.13.0; its Go module's tag is v1.N). */
export function pinnedJaegerVersion(): string {
  const m = /JAEGER_VERSION:-(v[\d.]+)/.exec(readRepoFile('infra', 'scripts', 'install-jaeger.sh'));
  if (!m) throw new Error('install-jaeger.sh pins no version');
  return m[1];
}

/** The release of the jaeger binary the harness starts (findBinary's choice), from `jaeger version`. */
export function testJaegerVersion(): string {
  const out = execFileSync(findBinary('jaeger'), ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out) as { gitVersion: string }).gitVersion;
}

/**
 * The one minor gap kept on purpose, Redis: the tests run the distributions' redis-server,
 * 7.0 on Debian bookworm (security-patched by Debian) and on Ubuntu 24.04 (CI), and no
 * reachable registry has a newer Redis for bookworm (bookworm-backports has none; trixie's 8.0
 * needs trixie's libc). The image cannot follow them down: upstream's 7.0 is end of life and
 * its image no longer rebuilt. So the image is pinned to the last 7.x minor, 7.4, and
 * versions.test.ts holds both sides to this pair: a change on either side fails until this
 * pair and the README's table are changed with it.
 */
export const REDIS_MINORS = { tests: '7.0', image: '7.4' } as const;

/** The mongod version mongodb-memory-server (the tests' real MongoDB, where it can be downloaded) starts by default. */
export function memoryServerMongodVersion(): string {
  const fromDevServers = createRequire(repoPath('dev-servers', 'package.json'));
  return (fromDevServers('mongodb-memory-server-core/lib/util/resolveConfig') as { DEFAULT_VERSION: string }).DEFAULT_VERSION;
}

/** The version of the server binary the test harness starts (findBinary's choice), e.g. `nats-server`. */
export function testServerVersion(binary: 'nats-server' | 'redis-server'): string {
  return execFileSync(findBinary(binary), ['--version'], { encoding: 'utf8' }).trim();
}
