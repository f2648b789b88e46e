// The images built for real by the Docker engine (bash infra/images/build.sh): each runnable one
// starts as a non-root user on a read-only root file system (tmpfs only where it keeps data,
// all capabilities dropped, no network) far enough to listen, and every image's size is
// reported. A machine where no Docker engine answers, or where the images were not built,
// FAILS here with the reason: nothing is skipped.
import { execFile } from 'node:child_process';
import { findObject, mainContainer, renderOverlay, type Workload } from '../src/k8s';
import {
  allImages, devDeploymentEnv, isInClusterUrl, docker, dockerClient, dockerUnavailable, imageNames, infrastructureSpecs, inspectImage, isService, megabytes, numericUser, projectImage, type RunSpec,
} from '../src/images';
import { IMAGES, type ImageName } from '../src/repo';
import { parseVersion, pinnedNatsServerVersion, pinnedNodeVersion, pinnedTraefikVersion } from '../src/versions';

const names = imageNames();
const HOW_TO_BUILD = 'start the engine with `bash infra/images/dockerd.sh start` (root) and build with `bash infra/images/build.sh`';
/** Nothing listens there: the dependencies a service waits for while its HTTP server is up. */
const NOWHERE = '127.0.0.1:9';

describe('the image names (infra/images/names.env)', () => {
  test('say what is a local stand-in, and carry the versions the tests run', () => {
    const standIns = Object.entries(names).filter(([key]) => key.startsWith('STANDIN_'));
    expect(standIns.length).toBe(7);
    for (const [key, image] of standIns) expect({ [key]: image }).toEqual({ [key]: expect.stringMatching(/^ticketing-local\/[a-z-]+:[\w.-]+-standin$/) });
    expect(names.STANDIN_NODE).toBe(`ticketing-local/node:${parseVersion(pinnedNodeVersion()).major}-bookworm-slim-standin`);
    expect(names.STANDIN_NATS).toBe(`ticketing-local/nats:${pinnedNatsServerVersion().replace(/^v/, '')}-standin`);
    expect(names.STANDIN_TRAEFIK).toBe(`ticketing-local/traefik:${pinnedTraefikVersion().replace(/^v/, '')}-standin`);
  });
});

/** The dev overlay's environment for `name`, its dependencies pointed at an address where nothing listens. */
function envWithoutDependencies(name: ImageName): Record<string, string> {
  const { env } = devDeploymentEnv(name);
  for (const [key, value] of Object.entries(env)) {
    if (!isInClusterUrl(value)) continue;
    const url = new URL(value);
    url.host = NOWHERE;
    env[key] = url.toString();
  }
  return env;
}

function projectSpec(name: ImageName): RunSpec {
  return {
    image: projectImage(name),
    tmpfs: [],
    env: envWithoutDependencies(name),
    // A service listens before it connects to NATS and MongoDB; Next.js says when it is ready.
    ready: isService(name) ? /"msg":"http listening"/ : /Ready in/,
  };
}

interface Started {
  output: string;
  uids: number[];
  /** What GET <path> on port 3000 answered inside the container (project images). */
  status?: number;
  answer?: string;
}

/** Runs `spec` read-only until it prints its ready line (or fails with its output), checks it, removes it. */
async function startReadOnly(spec: RunSpec, uid: number, gid: number, probePath?: string, inside?: string[]): Promise<Started> {
  const container = `ticketing-image-check-${process.pid}-${spec.image.replace(/[^\w]+/g, '-')}`;
  const args = ['run', '--detach', '--name', container, '--read-only', '--network', 'none', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
  for (const dir of spec.tmpfs) args.push('--tmpfs', `${dir}:uid=${uid},gid=${gid}`);
  for (const [key, value] of Object.entries(spec.env)) args.push('--env', `${key}=${value}`);
  for (const [key, value] of Object.entries(spec.sysctls ?? {})) args.push('--sysctl', `${key}=${value}`);
  await docker([...args, spec.image, ...(spec.args ?? [])]);
  try {
    const deadline = Date.now() + 90_000; // a bound against hangs, not a performance assertion
    let output = '';
    for (;;) {
      output = await logs(container);
      if (spec.ready.test(output)) break;
      const running = await docker(['inspect', '--format', '{{.State.Running}} {{.State.ExitCode}}', container]);
      if (!running.startsWith('true')) throw new Error(`${spec.image} stopped (exit ${running.split(' ')[1]}) before printing ${spec.ready}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`${spec.image} printed no ${spec.ready} within 90 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const top = await docker(['top', container, '-eo', 'pid,uid']);
    const uids = top.split('\n').slice(1).map((line) => Number(line.trim().split(/\s+/)[1]));
    let status: number | undefined;
    if (probePath) {
      // Inside the container (no network): the image's own node fetches from its own server.
      const probe = `fetch('http://127.0.0.1:3000${probePath}').then((r) => console.log(r.status), (e) => console.log(e.message))`;
      status = Number(await docker(['exec', container, 'node', '-e', probe]));
    }
    // A command run inside the running container (its output becomes `answer`).
    const answer = inside ? await docker(['exec', container, ...inside]) : undefined;
    return { output: await logs(container), uids, status, answer };
  } finally {
    await docker(['rm', '--force', container]).catch(() => undefined);
  }
}

function logs(container: string): Promise<string> {
  // `docker logs` writes the container's stderr to its own stderr.
  return new Promise((resolve) => {
    execFile(dockerClient(), ['logs', container], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });
}

describe('the images built by the Docker engine', () => {
  const sizes = new Map<string, number>();

  beforeAll(async () => {
    const reason = await dockerUnavailable();
    if (reason) throw new Error(`no Docker engine answers (${reason}): ${HOW_TO_BUILD}`);
    const missing: string[] = [];
    for (const image of allImages()) {
      const info = await inspectImage(image);
      if (info) sizes.set(image, info.size);
      else missing.push(image);
    }
    if (missing.length > 0) throw new Error(`not built: ${missing.join(', ')}: ${HOW_TO_BUILD}`);
  }, 60_000);

  afterAll(() => {
    if (sizes.size === 0) return;
    const width = Math.max(...[...sizes.keys()].map((k) => k.length));
    const table = [...sizes].map(([image, size]) => `${image.padEnd(width)}  ${megabytes(size).padStart(7)}`);
    console.log(['## image sizes', `${'image'.padEnd(width)}  ${'size'.padStart(7)}`, ...table].join('\n'));
  });

  test('the Debian minbase stand-in is bookworm', async () => {
    expect(await docker(['run', '--rm', '--read-only', '--network', 'none', names.STANDIN_DEBIAN, 'cat', '/etc/debian_version'])).toMatch(/^12\./);
  });

  test('the Node stand-in runs .node-version’s Node.js with its npm, and has the official image’s node user (uid 1000)', async () => {
    const out = await docker(['run', '--rm', '--read-only', '--network', 'none', names.STANDIN_NODE, 'sh', '-c', 'node --version; npm --version; id -u node; id -g node']);
    const [node, npm, uid, gid] = out.split('\n');
    expect(node).toBe(`v${pinnedNodeVersion()}`);
    expect((await inspectImage(names.STANDIN_NODE))!.labels['ticketing.npm.version']).toBe(npm);
    expect([uid, gid]).toEqual(['1000', '1000']);
  });

  test.each(IMAGES)('%s: built on the Node stand-in, runs as uid 1000 on a read-only root and answers on port 3000', async (name) => {
    const spec = projectSpec(name);
    const info = (await inspectImage(spec.image))!;
    expect(info.labels['ticketing.base']).toBe(names.STANDIN_NODE);
    expect(numericUser(info.user)).toEqual({ uid: 1000, gid: 1000 });
    // A service's liveness path; the client's readiness path (the Deployments' probes).
    const started = await startReadOnly(spec, 1000, 1000, isService(name) ? '/healthz' : '/icon.svg');
    expect(started.uids.length).toBeGreaterThan(0);
    expect(started.uids.every((uid) => uid === 1000)).toBe(true);
    expect({ status: started.status, output: started.status === 200 ? '' : started.output }).toEqual({ status: 200, output: '' });
    expect(started.output).not.toMatch(/EROFS|read-only file system/i);
  }, 3 * 60_000);

  test.each(infrastructureSpecs().map((s) => [s.image, s] as const))('%s: runs as a non-root uid on a read-only root and listens', async (_image, spec) => {
    const user = numericUser((await inspectImage(spec.image))!.user);
    expect(user).toBeDefined(); // by number: Kubernetes can verify runAsNonRoot
    expect(user!.uid).not.toBe(0);
    const started = await startReadOnly(spec, user!.uid, user!.gid);
    expect(started.uids.length).toBeGreaterThan(0);
    expect(started.uids.every((uid) => uid === user!.uid)).toBe(true);
    expect(started.output).not.toMatch(/EROFS|read-only file system/i);
  }, 3 * 60_000);

  test('the Traefik stand-in takes the arguments of the dev overlay\'s Traefik: its kubernetesGateway provider starts (no cluster here: it says so) and ping answers', async () => {
    const spec = infrastructureSpecs().find((s) => s.image === names.STANDIN_TRAEFIK)!;
    const traefik = mainContainer(findObject<Workload>(renderOverlay('dev'), 'Deployment', 'traefik'));
    const sysctls = Object.fromEntries((findObject<Workload>(renderOverlay('dev'), 'Deployment', 'traefik').spec?.template.spec?.securityContext?.sysctls ?? []).map((x) => [x.name, x.value]));
    const started = await startReadOnly({ ...spec, args: traefik.args, sysctls, ready: /Error while initializing provider \*gateway\.Provider|Starting TCP Server/ }, 65532, 65532, undefined, ['bash', '-c', "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /ping HTTP/1.0\\r\\n\\r\\n' >&3; sed -n '$p' <&3"]);
    expect(started.output).toMatch(/providerName=kubernetesgateway/);
    expect(started.output).toMatch(/Error while initializing provider \*gateway\.Provider error="creating k8s client/);
    expect(started.output).not.toMatch(/failed to decode|unknown flag|field not found/i);
    expect(started.answer?.trim()).toBe('OK');
  }, 3 * 60_000);

  test('the Traefik stand-in is install-traefik.sh\'s build, binds :80 as uid 65532 (the pod\'s sysctl, no capability) and answers /ping', async () => {
    const spec = infrastructureSpecs().find((s) => s.image === names.STANDIN_TRAEFIK)!;
    expect(await docker(['run', '--rm', '--read-only', '--network', 'none', spec.image, 'version'])).toMatch(new RegExp(`^Version:\\s+${pinnedTraefikVersion().replace(/^v/, '').replace(/\./g, '\\.')}$`, 'm'));
    // Bash's /dev/tcp (the minbase has no HTTP client): GET /ping on the traefik entry point, then
    // a request to the web entry point on :80, which has no router yet (404).
    const get = (port: number, path: string) => `exec 3<>/dev/tcp/127.0.0.1/${port}; printf 'GET ${path} HTTP/1.0\\r\\nHost: ticketing.dev\\r\\n\\r\\n' >&3; sed -n '1p;$p' <&3; echo`;
    const started = await startReadOnly(spec, 65532, 65532, undefined, ['bash', '-c', `${get(8080, '/ping')}; ${get(80, '/')}`]);
    expect(started.uids).toEqual(started.uids.map(() => 65532));
    const lines = (started.answer ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines).toEqual([expect.stringMatching(/^HTTP\/1\.[01] 200 OK$/), 'OK', expect.stringMatching(/^HTTP\/1\.[01] 404 Not Found$/), '404 page not found']);
    // With the kernel's default (1024; Docker lowers it to 0 by itself, a kubelet does not), :80 is
    // refused to the same user: the component's sysctl is what makes it work, no capability.
    const name = `ticketing-image-check-${process.pid}-traefik-refused`;
    const refused = await docker(['run', '--rm', '--name', name, '--read-only', '--network', 'none', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges', '--sysctl', 'net.ipv4.ip_unprivileged_port_start=1024', spec.image, ...(spec.args ?? [])])
      .then((output) => ({ output }), (err: Error & { stdout?: string; stderr?: string }) => ({ output: `${err.stdout ?? ''}${err.stderr ?? ''}${err.message}` }))
      .finally(() => docker(['rm', '--force', name]).catch(() => undefined));
    expect(refused.output).toMatch(/bind: permission denied/);
  }, 3 * 60_000);
});
