// `npm start` as a user runs it: flags after `--` reach the launcher, a Ctrl-C (which reaches
// the launcher as several signals at once) stops every process it started, and a launcher
// that died without stopping anything is cleaned up after by the next start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canListen, freePortBlock, isRunning, NpmStart, processTable, recordedPids } from '../support/launcher';

const PORTS = 40; // gateway, NATS, Redis, MongoDB, client, Jaeger (UI, OTLP), then services from base + 10

describe('the launcher (npm start)', () => {
  let stateDir: string;
  let base: number;
  let env: NodeJS.ProcessEnv;
  const runs: NpmStart[] = [];

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'ticketing-launcher-'));
    base = await freePortBlock(PORTS);
    env = { ...process.env, STATE_DIR: stateDir, PORT: String(base), NATS_PORT: String(base + 1), REDIS_PORT: String(base + 2), MONGO_PORT: String(base + 3), CLIENT_PORT: String(base + 4), JAEGER_PORT: String(base + 5), JAEGER_OTLP_PORT: String(base + 6), SERVICE_PORT_BASE: String(base) };
    delete env.MONGO_URL; // the test run's server: the launcher must start (and stop) its own
  });

  afterAll(() => {
    // Whatever a failed test left: SIGKILL, so no later test finds these ports taken.
    for (const p of processTable()) {
      if (runs.some((r) => r.child.pid === p.pgid) || p.args.includes(stateDir)) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
    for (const p of recordedPids(stateDir)) {
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    rmSync(stateDir, { recursive: true, force: true });
  });

  const start = (...args: string[]) => startWith({}, ...args);
  const startWith = (extraEnv: NodeJS.ProcessEnv, ...args: string[]) => {
    const run = new NpmStart(args, { ...env, ...extraEnv });
    runs.push(run);
    return run;
  };

  /** Every process the run started: the printed table's PIDs and the recorded infrastructure. */
  const startedPids = (run: NpmStart) => [
    ...[...run.table().values()].map((r) => r.pid).filter((pid): pid is number => !!pid),
    ...recordedPids(stateDir).map((p) => p.pid),
  ];

  async function expectEverythingStopped(run: NpmStart, pids: number[]) {
    expect(pids.length).toBeGreaterThanOrEqual(6);
    expect(pids.filter(isRunning)).toEqual([]);
    const taken: number[] = [];
    for (let port = base; port < base + PORTS; port++) if (!(await canListen(port))) taken.push(port);
    expect(taken).toEqual([]);
    const left = processTable().filter((p) => p.pgid === run.child.pid || p.args.includes(stateDir));
    expect(left).toEqual([]);
    expect(recordedPids(stateDir)).toEqual([]);
  }

  /** Ctrl-C as a terminal sends it: to the whole foreground process group, twice in quick succession. */
  async function doubleCtrlC(run: NpmStart) {
    run.signalGroup('SIGINT');
    await new Promise((r) => setTimeout(r, 30));
    run.signalGroup('SIGINT');
  }

  it('`npm start -- --replicas 2 --no-client` starts two replicas of every service; a double Ctrl-C stops everything', async () => {
    const run = start('--replicas', '2', '--no-client');
    await run.ready();
    const rows = run.table();
    for (const service of ['auth', 'tickets', 'orders', 'payments', 'expiration']) {
      expect([...rows.keys()].filter((name) => name.startsWith(`${service}-`)).sort()).toEqual([`${service}-1`, `${service}-2`]);
    }
    expect(rows.has('client')).toBe(false);
    expect(rows.get('nats')?.url).toBe(`nats://127.0.0.1:${base + 1}`);
    // Tracing is on by default: Jaeger runs, and its UI's address is printed.
    expect(rows.get('jaeger')?.url).toBe(`http://127.0.0.1:${base + 5}`);
    expect(run.text).toMatch(new RegExp(`^Traces \\(Jaeger\\): http://localhost:${base + 5}$`, 'm'));
    const pids = startedPids(run);
    await doubleCtrlC(run);
    await run.exit();
    expect(run.text).toMatch(/^\[stack\] stopped$/m);
    expect(run.text).not.toMatch(/killing every process/); // one Ctrl-C is one graceful stop
    await expectEverythingStopped(run, pids);
  }, 600_000);

  it('stops completely again and again (double Ctrl-C, twice more, with the same state; the second without tracing)', async () => {
    for (let i = 0; i < 2; i++) {
      const tracingOff = i === 1;
      const run = startWith(tracingOff ? { TRACING: '0' } : {}, '--no-client');
      await run.ready();
      expect([...run.table().keys()].filter((n) => /^(auth|tickets|orders|payments|expiration)-/.test(n))).toHaveLength(5);
      // TRACING=0: no Jaeger, no traces line.
      expect(run.table().has('jaeger')).toBe(!tracingOff);
      expect(/^Traces \(Jaeger\)/m.test(run.text)).toBe(!tracingOff);
      const pids = startedPids(run);
      await doubleCtrlC(run);
      await run.exit();
      expect(run.text).toMatch(/^\[stack\] stopped$/m);
      await expectEverythingStopped(run, pids);
    }
  }, 600_000);

  it('a second Ctrl-C while a stop is stuck kills every process at once, and leaves none', async () => {
    const run = start('--no-client');
    await run.ready();
    const pids = startedPids(run);
    // A service that cannot stop (frozen): the graceful stop would wait out its SIGTERM timeout.
    const frozen = run.table().get('orders-1')!.pid!;
    process.kill(frozen, 'SIGSTOP');
    run.signalGroup('SIGINT');
    await new Promise((r) => setTimeout(r, 30));
    run.signalGroup('SIGINT'); // the same key press, relayed
    await new Promise((r) => setTimeout(r, 2_000));
    expect(run.text).not.toMatch(/killing every process/);
    run.signalGroup('SIGINT'); // a second press
    await run.exit();
    expect(run.text).toMatch(/SIGINT again: killing every process now/);
    await expectEverythingStopped(run, pids);
  }, 600_000);

  it('a launcher killed outright leaves its processes; the next start stops them, says so, and starts', async () => {
    const first = start('--no-client');
    await first.ready();
    const pids = startedPids(first);
    const launcher = first.launcherPid();
    expect(launcher).toBeDefined();
    process.kill(launcher!, 'SIGKILL'); // no handler runs: a crash, an OOM kill
    await first.exit();
    // Without the guard these would hold the ports, and `npm start` would fail with "port in use".
    expect(pids.filter(isRunning).length).toBeGreaterThan(0);

    const second = start('--no-client');
    await second.ready();
    expect(second.text).toMatch(/stopping \S+ \(pid \d+\), left running by a previous run/);
    expect(pids.filter(isRunning)).toEqual([]);
    const secondPids = startedPids(second);
    second.signalGroup('SIGTERM');
    await second.exit();
    expect(second.text).toMatch(/^\[stack\] stopped$/m);
    await expectEverythingStopped(second, secondPids);
  }, 600_000);
});
