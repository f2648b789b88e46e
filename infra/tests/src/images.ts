// The images infra/images/build.sh makes (names from infra/images/names.env) and what the test
// of the built images (test/images.test.ts) starts each one with.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { resolveContainerEnv } from './env';
import type { IContainer } from 'kubernetes-models/v1';
import { findObject, mainContainer, renderOverlay, type Workload } from './k8s';
import { IMAGES, readEnvFile, SERVICES, type ImageName } from './repo';

const run = promisify(execFile);

/** KEY=value lines of infra/images/names.env. */
export const imageNames = () => readEnvFile('infra', 'images', 'names.env');

/** How a runnable image is started for the check: the paths it writes (tmpfs), what it prints when up. */
export interface RunSpec {
  image: string;
  /** Writable directories on the otherwise read-only root (tmpfs owned by the image's user). */
  tmpfs: string[];
  env: Record<string, string>;
  /** A line the image prints once it listens (or, for a configuration error, that error). */
  ready: RegExp;
  /** Arguments after the image (its entrypoint's). */
  args?: string[];
  /** Namespaced sysctls the pod sets (`docker run --sysctl`). */
  sysctls?: Record<string, string>;
}

/**
 * Traefik as components/gateway-traefik runs it, without the Kubernetes provider (no cluster
 * here): web on :80 as a non-root uid, ping on :8080.
 */
export const TRAEFIK_ARGS = ['--global.checkNewVersion=false', '--global.sendAnonymousUsage=false', '--entryPoints.web.address=:80', '--entryPoints.traefik.address=:8080', '--ping=true', '--log.level=DEBUG', '--log.noColor=true'];

/** The project's image of `name`, as build.sh tags it. */
export const projectImage = (name: ImageName) => `ticketing/${name}:${imageNames().PROJECT_TAG}`;

/** The stand-ins for official infrastructure images, run as the manifests run the official ones. */
export function infrastructureSpecs(): RunSpec[] {
  const n = imageNames();
  return [
    { image: n.STANDIN_NATS, tmpfs: ['/data'], env: {}, ready: /Server is ready/ },
    { image: n.STANDIN_REDIS, tmpfs: ['/data'], env: {}, ready: /Ready to accept connections/ },
    { image: n.STANDIN_MONGO, tmpfs: ['/data/db'], env: {}, ready: /mongo-java-server listening on 0\.0\.0\.0:27017/ },
    // As compose's edge runs it: nginx's writable paths moved to /tmp by its configuration; here
    // Debian's default configuration, whose temp and log directories are the tmpfs.
    { image: n.STANDIN_NGINX, tmpfs: ['/var/lib/nginx', '/var/log/nginx', '/run'], env: {}, args: ['nginx', '-e', 'stderr', '-g', 'daemon off; error_log stderr notice;'], ready: /start worker process/ },
    // Its debug log names each entry point's server as it starts.
    { image: n.STANDIN_TRAEFIK, tmpfs: [], env: {}, args: TRAEFIK_ARGS, sysctls: { 'net.ipv4.ip_unprivileged_port_start': '0' }, ready: /Starting TCP Server.*entryPointName=web|entryPointName=web.*Starting TCP Server/ },
  ];
}

/** Every image build.sh makes, base stand-ins included. */
export function allImages(): string[] {
  const n = imageNames();
  return [n.STANDIN_DEBIAN, n.STANDIN_NODE, ...infrastructureSpecs().map((s) => s.image), ...IMAGES.map(projectImage)];
}

/** A URL naming an in-cluster service: a one-label host such as `nats-srv`, with or without a user part. */
export const isInClusterUrl = (value: string) => /^[a-z]+:\/\/([^/@\s]+@)?[^./:@]+(:\d+)?(\/|$)/.test(value);

/** `name`'s main container in the dev overlay and the environment it resolves to (Secrets and ConfigMaps read). */
export function devDeploymentEnv(name: ImageName): { container: IContainer; env: Record<string, string> } {
  const objects = renderOverlay('dev');
  const container = mainContainer(findObject<Workload>(objects, 'Deployment', name));
  return { container, env: resolveContainerEnv(container, objects).env };
}

export const isService = (name: ImageName) => (SERVICES as readonly string[]).includes(name);

/** The docker client: $DOCKER, else `docker` (any client can inspect and run; build.sh picks one that builds). */
export const dockerClient = () => process.env.DOCKER ?? 'docker';

export async function docker(args: string[], timeoutMs = 60_000): Promise<string> {
  const { stdout } = await run(dockerClient(), args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

/** Why no Docker engine can be used here, or undefined when one answers. */
export async function dockerUnavailable(): Promise<string | undefined> {
  try {
    await docker(['info', '--format', '{{.ServerVersion}}'], 20_000);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    return e.code === 'ENOENT' ? `no docker client (${dockerClient()}) on PATH` : (e.stderr || e.message).trim();
  }
}

export interface ImageInfo {
  size: number;
  user: string;
  labels: Record<string, string>;
}

export async function inspectImage(image: string): Promise<ImageInfo | undefined> {
  try {
    const out = await docker(['image', 'inspect', '--format', '{{json .Size}} {{json .Config.User}} {{json .Config.Labels}}', image]);
    const [size, user, labels] = out.split(' ').map((part) => JSON.parse(part) as unknown);
    return { size: size as number, user: user as string, labels: (labels ?? {}) as Record<string, string> };
  } catch {
    return undefined;
  }
}

/** `uid[:gid]` of a USER given by number; undefined for a name (Kubernetes cannot verify runAsNonRoot then). */
export function numericUser(user: string): { uid: number; gid: number } | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  return m ? { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) } : undefined;
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
