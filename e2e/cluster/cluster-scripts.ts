import { execFile } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

// The test cluster's scripts (infra/cluster/), run as the tests' own commands.
const CLUSTER_DIR = path.resolve(__dirname, '..', '..', 'infra', 'cluster');

export const HOW_TO_RUN = 'the test cluster runs as root with iptables, Debian\'s etcd, containerd, runc and CNI plugins (bash infra/scripts/prepare.sh test installs them) and the images of bash infra/images/build.sh; run it alone with `npm run cluster -- up`';

/** Runs infra/cluster/<script> with `args`; resolves with its output, rejects with it (and the exit status). */
export function clusterScript(script: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('bash', [path.join(CLUSTER_DIR, script), ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (error) reject(new Error(`infra/cluster/${script} ${args.join(' ')} failed (${error.code ?? error.signal}); ${HOW_TO_RUN}\n${output}`));
      else resolve(output);
    });
  });
}

/** The snapshot of what the cluster may change on this machine (infra/cluster/host-state.sh). */
export const hostState = () => clusterScript('host-state.sh');

/** The packets the egress guard `chain` has rejected so far. */
export async function guardCounter(chain?: string): Promise<number> {
  return Number((await clusterScript('guard.sh', ['counter'], chain ? { TICKETING_CLUSTER_GUARD_CHAIN: chain } : {})).trim().split('\n').pop());
}

/** Connects to address:port; resolves with the error code the connection ended with (or 'connected'). */
export function connectOutcome(address: string, port: number, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    const done = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done('timeout'));
    socket.once('connect', () => done('connected'));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}

/** Lines of `after` missing from `before` and the reverse: what changed between two snapshots. */
export function snapshotDiff(before: string, after: string): { added: string[]; removed: string[] } {
  const lines = (text: string) => new Set(text.split('\n').filter(Boolean));
  const b = lines(before);
  const a = lines(after);
  return { added: [...a].filter((l) => !b.has(l)), removed: [...b].filter((l) => !a.has(l)) };
}
