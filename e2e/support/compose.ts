// A compose.yaml project run for a test: its own project name and host port, the local
// stand-ins for the official images (infra/compose/standins.yaml + standins.env), never a
// registry (--pull never, --no-build). Docker client: $DOCKER, else `docker`, with the compose
// plugin infra/compose/install-compose.sh installs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { readEnvFile, REPO_ROOT } from '@ticketing/local/src/repo-files';

const run = promisify(execFile);
const docker = process.env.DOCKER ?? 'docker';
/** `down -v` tries this often when the engine says a network still has endpoints (see down()). */
const DOWN_ATTEMPTS = 4;

async function sh(command: string, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run(command, args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${e.stderr?.trim() || e.stdout?.trim() || e.message}`, { cause: err });
  }
}

export const dockerCli = (args: string[], timeoutMs = 60_000) => sh(docker, args, timeoutMs);

/** The images the stand-in project runs: compose's stand-ins and the project's own images. */
export function standInImages(): string[] {
  const tag = readEnvFile('infra', 'images', 'names.env').PROJECT_TAG;
  const project = ['auth', 'tickets', 'orders', 'payments', 'expiration', 'live', 'client'].map((s) => `ticketing/${s}:${tag}`);
  return [...Object.values(readEnvFile('infra', 'compose', 'standins.env')), ...project];
}

/** Why the project cannot run here (no engine, no compose plugin, an image missing), with the commands that fix it. */
export async function composeUnavailable(): Promise<string | undefined> {
  try {
    await dockerCli(['version', '--format', '{{.Server.Version}}'], 20_000);
  } catch (err) {
    return `no Docker engine answers (${(err as Error).message}): start it with "bash infra/images/dockerd.sh start" (root)`;
  }
  try {
    await dockerCli(['compose', 'version', '--short'], 20_000);
  } catch (err) {
    return `no docker compose plugin (${(err as Error).message}): install it with "bash infra/compose/install-compose.sh"`;
  }
  const missing: string[] = [];
  for (const image of standInImages()) await dockerCli(['image', 'inspect', '--format', '{{.Id}}', image]).catch(() => missing.push(image));
  if (missing.length) return `images missing: ${missing.join(', ')}: build them with "bash infra/images/build.sh"`;
  return undefined;
}

/** What `docker compose down -v` must leave nothing of: the project's containers, networks and volumes. */
export interface Leftovers {
  containers: string[];
  networks: string[];
  volumes: string[];
}

export interface ContainerFacts {
  service: string;
  /** `uid:gid` as configured ("" = the image's, root for most). */
  user: string;
  readOnlyRoot: boolean;
  capDrop: string[];
  /** The healthcheck's verdict; undefined for a container without one. */
  health?: string;
  status: string;
}

export class ComposeProject {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'ticketing-compose-'));
  private readonly envFile = path.join(this.dir, 'compose.env');

  /** `extraEnv`: compose variables for this run (e.g. EXPIRATION_WINDOW_SECONDS). */
  constructor(
    readonly name: string,
    readonly httpPort: number,
    private readonly extraEnv: Record<string, string> = {},
  ) {}

  readonly baseUrl = () => `http://127.0.0.1:${this.httpPort}`;

  /** Writes the secrets' env files (infra/compose/env.sh) and this run's variables: stand-in images, port, `extraEnv`. */
  async writeEnv(): Promise<void> {
    await sh('bash', ['infra/compose/env.sh'], 120_000);
    const env = { ...readEnvFile('infra', 'compose', 'standins.env'), TICKETING_HTTP_PORT: String(this.httpPort), ...this.extraEnv };
    writeFileSync(this.envFile, Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  }

  compose(args: string[], timeoutMs = 120_000): Promise<string> {
    const files = ['-f', 'compose.yaml', '-f', 'infra/compose/standins.yaml'];
    return dockerCli(['compose', '--project-name', this.name, '--project-directory', REPO_ROOT, ...files, '--env-file', this.envFile, ...args], timeoutMs);
  }

  /** Starts every service and waits until each is healthy (or exited 0: the one-shot); fails with the logs. */
  async up(timeoutSeconds: number): Promise<void> {
    try {
      await this.compose(['up', '--detach', '--wait', '--wait-timeout', String(timeoutSeconds), '--no-build', '--pull', 'never'], (timeoutSeconds + 60) * 1000);
    } catch (err) {
      const ps = await this.compose(['ps', '--all']).catch((e: Error) => e.message);
      const logs = await this.compose(['logs', '--no-color', '--tail', '40']).catch((e: Error) => e.message);
      throw new Error(`${(err as Error).message}\n--- ps\n${ps}\n--- logs (last 40 lines each)\n${logs}`, { cause: err });
    }
  }

  /**
   * `down -v`, past a defect of the Docker engine: a network can stay "has active endpoints"
   * after every container on it is gone (moby/moby#42119; once in CI here, engine 20.10). Its
   * suspected cause is a container removed before the engine released its endpoint, so every
   * container is stopped first and `down` waits until no project network holds an endpoint. A
   * refusal still is retried, the endpoints left (containers all removed by then, so stale) force-
   * disconnected first, the engine's remedy; the last refusal says what each network holds.
   */
  async down(): Promise<void> {
    await this.compose(['stop', '--timeout', '30'], 300_000);
    await this.waitForReleasedEndpoints(60_000);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.compose(['down', '--volumes', '--remove-orphans', '--timeout', '30'], 300_000);
        return;
      } catch (err) {
        if (attempt >= DOWN_ATTEMPTS || !/has active endpoints/.test((err as Error).message)) {
          const networks = await this.networkEndpoints().catch((e: Error) => e.message);
          throw new Error(`${(err as Error).message}\n--- endpoints each project network still holds: ${JSON.stringify(networks)}`, { cause: err });
        }
        for (const [network, endpoints] of Object.entries(await this.networkEndpoints())) {
          for (const endpoint of endpoints) await dockerCli(['network', 'disconnect', '--force', network, endpoint]).catch(() => undefined);
        }
        await delay(2_000 * attempt);
      }
    }
  }

  /** Each project network (name) and the endpoints on it (container names). */
  async networkEndpoints(): Promise<Record<string, string[]>> {
    const ids = (await dockerCli(['network', 'ls', '--quiet', '--filter', `label=com.docker.compose.project=${this.name}`])).split('\n').filter(Boolean);
    if (!ids.length) return {};
    const lines = (await dockerCli(['network', 'inspect', '--format', '{{.Name}}\t{{range .Containers}}{{.Name}} {{end}}', ...ids])).split('\n');
    return Object.fromEntries(lines.map((line) => {
      const [name, endpoints = ''] = line.split('\t');
      return [name, endpoints.split(' ').filter(Boolean)];
    }));
  }

  private async waitForReleasedEndpoints(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const held = Object.values(await this.networkEndpoints()).flat();
      if (!held.length || Date.now() > deadline) return; // past the deadline, down's own error says what is held
      await delay(500);
    }
  }

  /** Each container of the project (running or exited) as `docker inspect` shows it. */
  async containers(): Promise<ContainerFacts[]> {
    const ids = (await dockerCli(['ps', '--all', '--quiet', '--filter', `label=com.docker.compose.project=${this.name}`])).split('\n').filter(Boolean);
    const format = '{{json .Config.Labels}}\t{{json .Config.User}}\t{{.HostConfig.ReadonlyRootfs}}\t{{json .HostConfig.CapDrop}}\t{{if .State.Health}}{{.State.Health.Status}}{{end}}\t{{.State.Status}}';
    const lines = (await dockerCli(['inspect', '--format', format, ...ids])).split('\n');
    return lines.map((line) => {
      const [labels, user, readOnly, capDrop, health, status] = line.split('\t');
      return {
        service: (JSON.parse(labels) as Record<string, string>)['com.docker.compose.service'],
        user: JSON.parse(user) as string,
        readOnlyRoot: readOnly === 'true',
        capDrop: (JSON.parse(capDrop) as string[] | null) ?? [],
        health: health || undefined,
        status,
      };
    });
  }

  async leftovers(): Promise<Leftovers> {
    const label = `label=com.docker.compose.project=${this.name}`;
    const lines = (s: string) => s.split('\n').filter(Boolean);
    return {
      containers: lines(await dockerCli(['ps', '--all', '--quiet', '--filter', label])),
      networks: lines(await dockerCli(['network', 'ls', '--quiet', '--filter', label])),
      volumes: lines(await dockerCli(['volume', 'ls', '--quiet', '--filter', label])),
    };
  }

  removeEnv(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
