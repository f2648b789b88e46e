// The local edge: nginx (the Debian package) run by the launcher as its own process, on a
// high port, with its configuration, temp files and cache under the stack's state folder.
// The launcher probes every replica's readiness path as Kubernetes would, and when the set
// of ready replicas changes it rewrites the upstream pools and reloads nginx (SIGHUP:
// in-flight requests finish on the old workers; idle client connections are closed).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManagedProcess } from '@ticketing/dev-servers';
import { healthzJson, renderNginxConf, type EdgeRoute } from './nginx-conf';

export interface ProbedRoute extends EdgeRoute {
  /** Probe path on each target; a target serves only while it answers 2xx. */
  health: string;
}

export interface NginxEdgeOptions {
  host: string;
  port: number;
  routes: ProbedRoute[];
  dir: string;
  env?: NodeJS.ProcessEnv;
  onLine: (name: string, line: string) => void;
  onSpawn?: (proc: ManagedProcess) => void;
  probeIntervalMs?: number;
}

export interface NginxEdge {
  process: ManagedProcess;
  /** Probes now and reloads if readiness changed (resolves after the new configuration was sent). */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

/** The nginx binary (Debian installs it in /usr/sbin, often not on a user's PATH), or undefined. */
export function findNginx(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (dir && existsSync(path.join(dir, 'nginx'))) return path.join(dir, 'nginx');
  }
  return undefined;
}

/** Debian's unprivileged user, whose uid/gid the workers take when the launcher runs as root. */
function unprivilegedUser(): { name: string; uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim();
    const [uid, gid] = [Number(id('-u')), Number(id('-g'))];
    return { name: `nobody ${id('-gn')}`, uid, gid };
  } catch {
    return undefined;
  }
}

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) chownTree(path.join(dir, entry.name), uid, gid);
  }
}

const probe = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    (r) => r.ok,
    () => false,
  );

export async function startNginxEdge(o: NginxEdgeOptions): Promise<NginxEdge> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed: run infra/scripts/prepare.sh (apt-get install nginx-light), or set LOCAL_EDGE=node');
  mkdirSync(o.dir, { recursive: true });
  const user = unprivilegedUser();
  // Under a root launcher the workers run as `nobody`: their temp files and cache go to a
  // folder of theirs outside the (private) state folder.
  const scratch = user ? mkdtempSync(path.join(tmpdir(), 'ticketing-edge-')) : o.dir;
  for (const sub of ['tmp', 'cache']) mkdirSync(path.join(scratch, sub), { recursive: true });
  if (user) chownTree(scratch, user.uid, user.gid);
  const confPath = path.join(o.dir, 'nginx.conf');
  let ready = new Set<string>();
  let written = '';
  const healthzPath = path.join(scratch, 'healthz.json');
  const write = () => {
    writeFileSync(`${healthzPath}.new`, healthzJson(o.routes, ready));
    renameSync(`${healthzPath}.new`, healthzPath);
    const conf = renderNginxConf({ host: o.host, port: o.port, routes: o.routes, ready, dir: o.dir, scratchDir: scratch, user: user?.name });
    if (conf === written) return false;
    writeFileSync(confPath, conf);
    written = conf;
    return true;
  };
  const probeAll = async () => {
    const targets = o.routes.flatMap((r) => r.targets.map((t) => ({ t, url: new URL(r.health, t).href })));
    const states = await Promise.all(targets.map(({ url }) => probe(url)));
    ready = new Set(targets.filter((_, i) => states[i]).map(({ t }) => t));
  };

  await probeAll();
  write();
  const proc = new ManagedProcess(
    { name: 'gateway', command: nginx, args: ['-e', 'stderr', '-p', o.dir, '-c', confPath], cwd: o.dir, env: o.env },
    o.onLine,
    o.onSpawn,
  );
  proc.start();

  let probing: Promise<void> | undefined;
  const refresh = () =>
    (probing ??= (async () => {
      try {
        await probeAll();
        if (write() && proc.running && proc.pid) process.kill(proc.pid, 'SIGHUP');
      } finally {
        probing = undefined;
      }
    })());
  const timer = setInterval(() => void refresh(), o.probeIntervalMs ?? 500);
  return {
    process: proc,
    refresh,
    stop: async () => {
      clearInterval(timer);
      await probing;
      await proc.stop();
      if (scratch !== o.dir) rmSync(scratch, { recursive: true, force: true });
    },
  };
}
