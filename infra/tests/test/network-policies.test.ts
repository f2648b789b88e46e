// The NetworkPolicies, rendered by kustomize for each overlay, let through exactly the flows of
// the architecture table (src/architecture.ts): computed from the policies with a small
// evaluator of NetworkPolicy semantics (src/network-policy.ts), since no policy-enforcing
// network plugin runs here. Both ends are checked alone too (each end enforces the table), and
// removing or widening any policy must make the check fail.
import {
  ARCHITECTURE,
  CLOUD_METADATA,
  DNS,
  EDGE,
  expectedReachability,
  IMPOSTOR,
  namespacesAround,
  OTLP_BACKEND,
  reachability,
  STRAY_POD,
  STRIPE,
  surroundings,
  workloadEndpoints,
} from '../src/architecture';
import { ofKind, renderOverlay, type K8sObject } from '../src/k8s';
import type { INetworkPolicyPeer as NetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1';
import { NetworkModel, type Endpoint, type NetworkPolicy } from '../src/network-policy';
import { OVERLAYS, type Overlay } from '../src/repo';

describe.each(OVERLAYS)('overlay %s: network policies', (overlay: Overlay) => {
  let policies: NetworkPolicy[];
  let own: string;
  let endpoints: Endpoint[];
  const modelOf = (ps: NetworkPolicy[]) => new NetworkModel(ps, namespacesAround(own), own);
  const matchesArchitecture = (ps: NetworkPolicy[]) => {
    const actual = reachability(modelOf(ps), endpoints, own);
    const expected = expectedReachability(endpoints, own);
    return JSON.stringify(actual) === JSON.stringify(expected);
  };

  beforeAll(() => {
    const objects: K8sObject[] = renderOverlay(overlay);
    policies = ofKind<NetworkPolicy>(objects, 'NetworkPolicy');
    own = policies[0]?.metadata.namespace ?? 'default';
    const rendered = workloadEndpoints(objects, own);
    endpoints = [...rendered, ...surroundings(own, rendered)];
  });

  test('every pod of the namespace is denied ingress and egress unless a policy allows it', () => {
    const defaultDeny = policies.filter(
      (p) =>
        Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
        [...(p.spec?.policyTypes ?? [])].sort().join() === 'Egress,Ingress' &&
        !p.spec?.ingress?.length &&
        !p.spec?.egress?.length,
    );
    expect(defaultDeny.map((p) => p.metadata.name)).toEqual(['default-deny']);
    for (const p of policies) expect(`${p.metadata.name} in ${p.metadata.namespace ?? 'default'}`).toBe(`${p.metadata.name} in ${own}`);
  });

  test('exactly the flows of the architecture table connect', () => {
    const actual = reachability(modelOf(policies), endpoints, own);
    expect(actual.connections).toEqual(expectedReachability(endpoints, own).connections);
    // Spelled out, the flows the issue names and a few that must never exist.
    expect(actual.connections).toEqual(
      expect.arrayContaining([
        `${EDGE} → payments TCP/3000`,
        'orders → orders-mongo TCP/27017',
        'expiration → nats TCP/4222',
        'expiration → redis TCP/6379',
        'auth → redis TCP/6379',
        `payments → ${STRIPE} TCP/443`,
        `client → ${DNS} UDP/53`,
        'orders → otel-collector TCP/4318',
        'expiration → otel-collector TCP/4318',
        `otel-collector → ${OTLP_BACKEND} TCP/4317`,
      ]),
    );
    for (const forbidden of [
      'tickets → payments-mongo TCP/27017',
      'orders → redis TCP/6379',
      'client → nats TCP/4222',
      `${EDGE} → expiration TCP/3000`,
      `${EDGE} → nats TCP/8222`,
      `${EDGE} → auth-mongo TCP/27017`,
      'orders → payments TCP/3000',
      `tickets → ${STRIPE} TCP/443`,
      `payments → ${STRIPE} TCP/80`,
      `payments → ${CLOUD_METADATA} TCP/80`,
      `payments → ${CLOUD_METADATA} TCP/443`,
      `payments → ${CLOUD_METADATA}-ipv6 TCP/443`,
      `payments → ${EDGE} TCP/443`,
      `auth-mongo → ${STRIPE} TCP/443`,
      `redis → ${DNS} UDP/53`,
      `${IMPOSTOR} → auth-mongo TCP/27017`,
      `${IMPOSTOR} → nats TCP/4222`,
      `${STRAY_POD} → redis TCP/6379`,
      `auth → ${STRAY_POD} TCP/8080`,
      `${STRIPE} → client TCP/3000`,
      'client → otel-collector TCP/4318',
      `${STRAY_POD} → otel-collector TCP/4318`,
      `${EDGE} → otel-collector TCP/4318`,
      'otel-collector → nats TCP/4222',
      `otel-collector → ${STRIPE} TCP/443`,
      `otel-collector → ${CLOUD_METADATA} TCP/443`,
    ]) {
      expect(actual.connections).not.toContain(forbidden);
    }
  });

  test('each end alone admits exactly the table: the receiving pods\' ingress and the sending pods\' egress', () => {
    const actual = reachability(modelOf(policies), endpoints, own);
    const expected = expectedReachability(endpoints, own);
    expect(actual.ingress).toEqual(expected.ingress);
    expect(actual.egress).toEqual(expected.egress);
  });

  test('removing any one policy breaks the check', () => {
    expect(matchesArchitecture(policies)).toBe(true);
    const unnoticed = policies.filter((removed) => matchesArchitecture(policies.filter((p) => p !== removed))).map((p) => p.metadata.name);
    expect(unnoticed).toEqual([]);
  });

  test('widening any policy breaks the check: a rule without its ports or its peers, a policy selecting every pod', () => {
    const mutations: { name: string; policies: NetworkPolicy[] }[] = [];
    policies.forEach((policy, i) => {
      const mutate = (name: string, change: (p: NetworkPolicy) => void) => {
        const copy = structuredClone(policies);
        change(copy[i]);
        mutations.push({ name: `${policy.metadata.name}: ${name}`, policies: copy });
      };
      if (Object.keys(policy.spec?.podSelector ?? {}).length > 0) mutate('selects every pod', (p) => (p.spec!.podSelector = {}));
      for (const direction of ['ingress', 'egress'] as const) {
        (policy.spec?.[direction] ?? []).forEach((_rule, r) => {
          const ruleOf = (p: NetworkPolicy) => p.spec![direction]![r] as { ports?: unknown; from?: unknown; to?: unknown };
          mutate(`${direction} rule ${r} on every port`, (p) => delete ruleOf(p).ports);
          mutate(`${direction} rule ${r} from/to anyone`, (p) => delete ruleOf(p)[direction === 'ingress' ? 'from' : 'to']);
          const peersOf = (p: NetworkPolicy) => (ruleOf(p)[direction === 'ingress' ? 'from' : 'to'] ?? []) as NetworkPolicyPeer[];
          peersOf(policy).forEach((peer, k) => {
            if (peer.podSelector && peer.namespaceSelector) mutate(`${direction} rule ${r} peer ${k} without its podSelector`, (p) => delete peersOf(p)[k].podSelector);
            if (peer.ipBlock?.except?.length) mutate(`${direction} rule ${r} peer ${k} without its except`, (p) => delete peersOf(p)[k].ipBlock!.except);
          });
        });
      }
    });
    expect(mutations.length).toBeGreaterThan(policies.length);
    expect(mutations.filter((m) => matchesArchitecture(m.policies)).map((m) => m.name)).toEqual([]);
  }, 300_000);
});

describe('the NetworkPolicy evaluator', () => {
  const ns = namespacesAround('app');
  const pod = (name: string, namespace: string, labels: Record<string, string>, ports: Endpoint['ports'] = []): Endpoint => ({
    name,
    namespace,
    labels,
    ip: `10.0.0.${name.length}`,
    ports,
  });
  const web = pod('web', 'app', { app: 'web' }, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const db = pod('db', 'app', { app: 'db' }, [{ name: 'mongo', port: 27017, protocol: 'TCP' }]);
  const outsider = pod('outsider', 'other', { app: 'web' });
  const internet: Endpoint = { name: 'internet', labels: {}, ip: '93.184.216.34', ports: [] };
  const policy = (name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name }, spec });
  const tcp = (from: Endpoint, to: Endpoint, port: number) => ({ from, to, port, protocol: 'TCP' as const });

  test('without policies everything connects; a policy isolates only the directions in its policyTypes', () => {
    expect(new NetworkModel([], ns, 'app').allows(tcp(web, db, 27017))).toBe(true);
    const ingressOnly = new NetworkModel([policy('deny-in', { podSelector: {}, policyTypes: ['Ingress'] })], ns, 'app');
    expect(ingressOnly.allows(tcp(web, db, 27017))).toBe(false);
    expect(ingressOnly.allows(tcp(web, internet, 443))).toBe(true);
    // policyTypes absent: Ingress, plus Egress because there are egress rules.
    const defaulted = new NetworkModel([policy('egress-rules', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })], ns, 'app');
    expect(defaulted.allows(tcp(web, internet, 443))).toBe(false);
    expect(defaulted.allows(tcp(db, web, 8080))).toBe(false);
  });

  test('a connection needs both ends: egress of the source and ingress of the destination', () => {
    const denyAll = policy('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dbIn = policy('db-in', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 27017 }] }] });
    const webOut = policy('web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 'mongo' }] }] });
    expect(new NetworkModel([denyAll, dbIn], ns, 'app').allows(tcp(web, db, 27017))).toBe(false);
    expect(new NetworkModel([denyAll, webOut], ns, 'app').allows(tcp(web, db, 27017))).toBe(false);
    const both = new NetworkModel([denyAll, dbIn, webOut], ns, 'app');
    expect(both.allows(tcp(web, db, 27017))).toBe(true);
    expect(both.allows(tcp(web, db, 27018))).toBe(false);
    expect(both.allows({ ...tcp(web, db, 27017), protocol: 'UDP' })).toBe(false);
    // A podSelector alone means the policy's namespace: the outsider has the same labels.
    expect(new NetworkModel([dbIn], ns, 'app').allows(tcp(outsider, db, 27017))).toBe(false);
  });

  test('namespaceSelector and podSelector in one peer are AND; in two peers, OR', () => {
    const and = policy('and', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'web' } } }] }] });
    const or = policy('or', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }, { podSelector: { matchLabels: { app: 'web' } } }] }] });
    expect(new NetworkModel([and], ns, 'app').allows(tcp(outsider, db, 27017))).toBe(true);
    expect(new NetworkModel([and], ns, 'app').allows(tcp(web, db, 27017))).toBe(false);
    expect(new NetworkModel([or], ns, 'app').allows(tcp(web, db, 27017))).toBe(true);
    expect(new NetworkModel([or], ns, 'app').allows(tcp(pod('x', 'other', {}), db, 27017))).toBe(true);
    expect(new NetworkModel([or], ns, 'app').allows(tcp(pod('y', 'app', {}), db, 27017))).toBe(false);
  });

  test('ipBlock: inside cidr and outside except; matchExpressions; endPort ranges', () => {
    const out = policy('out', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.0.0/16'] } }], ports: [{ port: 8000, endPort: 8100 }] }],
    });
    const m = new NetworkModel([out], ns, 'app');
    expect(m.allows(tcp(web, internet, 8050))).toBe(true);
    expect(m.allows(tcp(web, internet, 8101))).toBe(false);
    expect(m.allows(tcp(web, { ...internet, ip: '169.254.169.254' }, 8050))).toBe(false);
    expect(m.allows(tcp(web, db, 8050))).toBe(false); // 10.0.0.2 is excepted
    expect(m.allows(tcp(db, internet, 1))).toBe(true); // db is not selected: not isolated
  });
});

test.each(OVERLAYS)('overlay %s: the architecture table names every rendered workload (a new one gets its flows), and nothing else', (overlay) => {
  const objects = renderOverlay(overlay);
  const own = ofKind<NetworkPolicy>(objects, 'NetworkPolicy')[0]?.metadata.namespace ?? 'default';
  const endpoints = workloadEndpoints(objects, own);
  const rendered = endpoints.map((e) => e.name);
  const names = new Set([...rendered, ...surroundings(own, endpoints).map((e) => e.name)]);
  for (const [from, to] of ARCHITECTURE) expect([from, to].filter((n) => !names.has(n))).toEqual([]);
  const named = new Set(ARCHITECTURE.flatMap(([from, to]) => [from, to]));
  expect(rendered.filter((w) => !named.has(w))).toEqual([]);
});
