// Building and running the project's images with the Docker engine from a test: the client that
// builds (infra/images/lib.sh picks one with BuildKit), a build of any Dockerfile text against the
// repository as context, and a container on the host's network whose HTTP answers are polled.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sleep } from '@ticketing/dev-servers';
import { docker, dockerClient, imageNames } from './images';
import { ROOT } from './repo';

const run = promisify(execFile);

/** The docker client infra/images/build.sh builds with (BuildKit: the Dockerfiles use RUN --mount). */
export function buildClient(): string {
  return execFileSync('bash', ['-c', '. infra/images/lib.sh && printf %s "$DOCKER"'], { cwd: ROOT, encoding: 'utf8' }).trim();
}

export interface BuildResult {
  ok: boolean;
  /** BuildKit's plain progress output (where a failed step says why). */
  output: string;
}

/**
 * Builds `dockerfileText` (a Dockerfile of this repository, possibly altered) with the repository
 * root as context, on the Node stand-in, as build.sh does. Never throws for a failed build.
 */
export async function buildImage(dockerfileText: string, tag: string, buildArgs: Record<string, string>, target?: string): Promise<BuildResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-build-'));
  const dockerfile = path.join(dir, 'Dockerfile');
  writeFileSync(dockerfile, dockerfileText);
  const args = ['build', '--progress=plain', '-f', dockerfile, '-t', tag, '--build-arg', `NODE_IMAGE=${imageNames().STANDIN_NODE}`];
  for (const [key, value] of Object.entries(buildArgs)) args.push('--build-arg', `${key}=${value}`);
  if (target) args.push('--target', target);
  try {
    const { stdout, stderr } = await run(buildClient(), [...args, ROOT], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000, env: { ...process.env, DOCKER_BUILDKIT: '1' },
    });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? e.message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function removeImage(tag: string): Promise<void> {
  await docker(['rmi', '--force', tag]).catch(() => undefined);
}

/** A container on the host's network (it reaches the tests' servers on 127.0.0.1). */
export class HostContainer {
  private constructor(readonly name: string, readonly port: number) {}

  /** Starts `image` read-only, no capabilities, with exactly `env` (and PORT) as the image's user. */
  static async start(image: string, env: Record<string, string>, port: number, options: { readOnly?: boolean } = {}): Promise<HostContainer> {
    const name = `ticketing-image-build-${process.pid}-${image.replace(/[^\w]+/g, '-')}-${port}`;
    const args = ['run', '--detach', '--name', name, '--network', 'host', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
    if (options.readOnly !== false) args.push('--read-only');
    for (const [key, value] of Object.entries({ ...env, PORT: String(port) })) args.push('--env', `${key}=${value}`);
    await docker([...args, image]);
    return new HostContainer(name, port);
  }

  async running(): Promise<boolean> {
    return (await docker(['inspect', '--format', '{{.State.Running}}', this.name])) === 'true';
  }

  /** stdout and stderr so far (`docker logs` writes the container's stderr to its own). */
  logs(): Promise<string> {
    return new Promise((resolve) => {
      execFile(dockerClient(), ['logs', this.name], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`));
    });
  }

  /** Polls GET <path> until it answers `status`; fails at once when the container stops (a hang bound, not a timing assertion). */
  async waitForStatus(urlPath: string, status: number, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer';
    while (Date.now() < deadline) {
      if (!(await this.running())) throw new Error(`${this.name} stopped before ${urlPath} answered ${status}:\n${await this.logs()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.port}${urlPath}`, { signal: AbortSignal.timeout(2_000) });
        last = `${res.status} ${await res.text()}`;
        if (res.status === status) return;
      } catch (err) {
        last = (err as Error).message;
      }
      await sleep(250);
    }
    throw new Error(`${urlPath} did not answer ${status} within ${timeoutMs} ms (last: ${last}):\n${await this.logs()}`);
  }

  /** Waits for the container to end on its own; its exit code. */
  async exited(timeoutMs = 90_000): Promise<number> {
    return Number(await docker(['wait', this.name], timeoutMs));
  }

  /** SIGTERM (docker stop, 30 s grace); the exit code. */
  async stop(): Promise<number> {
    await docker(['stop', '--time', '30', this.name], 60_000);
    return Number(await docker(['inspect', '--format', '{{.State.ExitCode}}', this.name]));
  }

  async remove(): Promise<void> {
    await docker(['rm', '--force', this.name]).catch(() => undefined);
  }
}
