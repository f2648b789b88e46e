// The test cluster (infra/cluster/, `npm run cluster -- up|down|status`): a single-node
// Kubernetes on this machine running the local-cluster overlay. First the egress guard alone,
// then: up → the purchase and expiry flows through the edge → down, which must leave the
// machine as up found it (processes, mounts, interfaces, iptables, sysctls, directories).
// A machine that cannot run it FAILS here with the reason and the command: nothing is skipped.
import { expiryFlow, purchaseFlow } from '../support/flows';
import { clusterScript, connectOutcome, guardCounter, hostState, snapshotDiff } from './cluster-scripts';

const EDGE = 'http://127.0.0.1:30080';
/** orders' EXPIRATION_WINDOW_SECONDS in infra/k8s/overlays/local-cluster/orders-window.yaml. */
const WINDOW_SECONDS = 20;
/** In the service range, never given to a Service (the API server allocates from the low end). */
const UNASSIGNED_CLUSTER_IP = '10.96.254.254';
const MINUTE = 60_000;
/** A locally rejected connection ends at once with one of these; a packet that left would time out. */
const REJECTED = ['ECONNREFUSED', 'EHOSTUNREACH'];

describe('the egress guard (infra/cluster/guard.sh)', () => {
  // Its own chain, so that a cluster running on this machine keeps its guard.
  const chain = 'TICKETING-CLUSTER-GUARD-TEST';
  afterAll(() => clusterScript('guard.sh', ['remove'], { TICKETING_CLUSTER_GUARD_CHAIN: chain }));

  test('rejects a packet to an unassigned ClusterIP on this machine', async () => {
    await clusterScript('guard.sh', ['install'], { TICKETING_CLUSTER_GUARD_CHAIN: chain });
    const before = await guardCounter(chain);
    expect(REJECTED).toContain(await connectOutcome(UNASSIGNED_CLUSTER_IP, 80));
    expect(await guardCounter(chain)).toBeGreaterThan(before);
    // and to the pod range
    expect(REJECTED).toContain(await connectOutcome('10.244.200.200', 80));
  });
});

describe('the test cluster (npm run cluster -- up|down)', () => {
  let machineBefore = '';
  let down = false;

  beforeAll(async () => {
    const running = (await clusterScript('processes.sh', ['list'])).split('\n').filter((l) => /^\S+ \d+$/.test(l));
    if (running.length > 0) throw new Error(`a test cluster is running already (${running.join(', ')}): stop it with \`npm run cluster -- down\``);
    machineBefore = await hostState();
    const output = await clusterScript('up.sh');
    process.stdout.write(`[cluster up]\n${output}`);
  }, 40 * MINUTE);

  afterAll(async () => {
    if (!down) await clusterScript('down.sh');
  }, 10 * MINUTE);

  test('status: the node and every pod are ready', async () => {
    const status = await clusterScript('status.sh');
    process.stdout.write(`[cluster status]\n${status}`);
    expect(status).toMatch(/\sReady\s/);
    const pods = status.split('\n').filter((l) => /^(ticketing|kube-system)\s/.test(l));
    expect(pods.length).toBeGreaterThan(10);
    for (const pod of pods) expect(pod).toMatch(/\s(\d+)\/\1\s+Running\s/);
  });

  test('the guard rejects a packet to an unassigned ClusterIP while the cluster runs', async () => {
    const before = await guardCounter();
    expect(REJECTED).toContain(await connectOutcome(UNASSIGNED_CLUSTER_IP, 80));
    expect(await guardCounter()).toBeGreaterThan(before);
  });

  test('purchase flow through the edge', async () => {
    const { order } = await purchaseFlow(EDGE);
    expect(order.id).toMatch(/^[0-9a-f]{24}$/);
  }, 5 * MINUTE);

  test('expiry flow through the edge', async () => {
    const { order } = await expiryFlow(EDGE, WINDOW_SECONDS);
    expect(order.id).toMatch(/^[0-9a-f]{24}$/);
  }, 5 * MINUTE);

  test('down leaves the machine as up found it', async () => {
    down = true;
    process.stdout.write(`[cluster down]\n${await clusterScript('down.sh')}`);
    expect(snapshotDiff(machineBefore, await hostState())).toEqual({ added: [], removed: [] });
  }, 10 * MINUTE);
});
