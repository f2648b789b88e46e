import { containersOf, podTemplate, workloads, type K8sObject } from './k8s';
import type { Connection, Endpoint, Namespace, NetworkModel, Protocol } from './network-policy';

/**
 * Who talks to whom, on which port: the architecture the NetworkPolicies must implement,
 * written down independently of them. One name stands for every replica of a workload.
 */
export type Flow = readonly [from: string, to: string, protocol: Protocol, port: number];

/** The Gateway's proxies (Traefik, components/gateway-traefik), in their own namespace. */
export const EDGE_NAMESPACE = 'gateway-system';
export const EDGE = `${EDGE_NAMESPACE}/traefik`;
export const DNS = 'kube-dns';
export const STRIPE = 'internet:api.stripe.com';
/** Where the prod collector exports spans: the operator's OTLP/gRPC backend, somewhere public. */
export const OTLP_BACKEND = 'internet:otlp-backend';
export const CLOUD_METADATA = 'cloud-metadata';
/** A pod someone starts in the namespace (kubectl run, a compromised image's sidecar). */
export const STRAY_POD = 'stray-pod';
/** A pod in another namespace that copies a service's labels. */
export const IMPOSTOR = 'other-namespace/auth';

const API_SERVICES = ['auth', 'tickets', 'orders', 'payments'] as const;
/** HTTP services without a database: the live updates' event streams. */
const STATELESS_HTTP = ['live'] as const;
const NATS_CLIENTS = [...API_SERVICES, 'expiration', ...STATELESS_HTTP] as const;
const COLLECTOR = 'otel-collector';
const RESOLVERS = [...NATS_CLIENTS, 'client', 'nats', COLLECTOR] as const;

export const ARCHITECTURE: Flow[] = [
  // The edge reaches each HTTP service and the client; the client calls the API through it.
  ...[...API_SERVICES, ...STATELESS_HTTP, 'client'].map((to) => [EDGE, to, 'TCP', 3000] as const),
  ['client', EDGE, 'TCP', 80],
  ['client', EDGE, 'TCP', 443],
  // Database per service.
  ...API_SERVICES.map((svc) => [svc, `${svc}-mongo`, 'TCP', 27017] as const),
  // The event bus, and its cluster routes.
  ...NATS_CLIENTS.map((svc) => [svc, 'nats', 'TCP', 4222] as const),
  ['nats', 'nats', 'TCP', 6222],
  // Redis: auth's rate limits, expiration's queue.
  ['auth', 'redis', 'TCP', 6379],
  ['expiration', 'redis', 'TCP', 6379],
  // Stripe.
  ['payments', STRIPE, 'TCP', 443],
  // Traces: every service → the collector (OTLP gRPC, HTTP) → the tracing backend.
  ...NATS_CLIENTS.flatMap((svc) => [[svc, COLLECTOR, 'TCP', 4317] as const, [svc, COLLECTOR, 'TCP', 4318] as const]),
  [COLLECTOR, OTLP_BACKEND, 'TCP', 4317],
  // Rules that admit any public address cannot tell one public host from another: payments
  // (443) reaches the tracing backend's address too, the collector (4317) Stripe's.
  ['payments', OTLP_BACKEND, 'TCP', 443],
  [COLLECTOR, STRIPE, 'TCP', 4317],
  // Name resolution.
  ...RESOLVERS.flatMap((from) => [[from, DNS, 'UDP', 53] as const, [from, DNS, 'TCP', 53] as const]),
];

export const flowKey = ([from, to, protocol, port]: Flow) => `${from} → ${to} ${protocol}/${port}`;

/** The namespaces around the rendered one, labelled as Kubernetes labels them. */
export function namespacesAround(own: string): Namespace[] {
  return [own, EDGE_NAMESPACE, 'kube-system', 'other'].map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } }));
}

/** Pods of the rendered workloads: their pod template labels and container ports. */
export function workloadEndpoints(objects: K8sObject[], own: string): Endpoint[] {
  return workloads(objects).map((w, i) => ({
    // Workloads of other namespaces (the dev overlay's Traefik) by namespace/name.
    name: (w.metadata.namespace ?? own) === own ? w.metadata.name : `${w.metadata.namespace}/${w.metadata.name}`,
    namespace: w.metadata.namespace ?? own,
    labels: { ...(podTemplate(w).metadata?.labels ?? {}) },
    ip: `10.244.${i + 1}.10`,
    ports: containersOf(w).flatMap((c) =>
      (c.ports ?? []).map((p) => ({ name: p.name, port: p.containerPort, protocol: (p.protocol ?? 'TCP') })),
    ),
  }));
}

/**
 * What surrounds the namespace: the Gateway's proxies (unless the overlay renders them), DNS,
 * the internet, strangers.
 */
export function surroundings(own: string, rendered: Endpoint[] = []): Endpoint[] {
  const edge: Endpoint = {
    name: EDGE,
    namespace: EDGE_NAMESPACE,
    // As components/gateway-traefik labels Traefik's pods.
    labels: { 'app.kubernetes.io/name': 'traefik', 'app.kubernetes.io/component': 'gateway-proxy' },
    ip: '10.244.100.10',
    ports: [
      { name: 'web', port: 80, protocol: 'TCP' },
      { name: 'websecure', port: 443, protocol: 'TCP' },
      { name: 'traefik', port: 8080, protocol: 'TCP' },
    ],
  };
  return [
    ...(rendered.some((e) => e.name === EDGE) ? [] : [edge]),
    {
      name: DNS,
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      ip: '10.244.101.10',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ],
    },
    // Neighbours of the two above, which a peer without its podSelector would let in.
    {
      name: `${EDGE_NAMESPACE}/other`,
      namespace: EDGE_NAMESPACE,
      labels: { 'app.kubernetes.io/name': 'other' },
      ip: '10.244.104.10',
      ports: [],
    },
    { name: 'kube-system/metrics-server', namespace: 'kube-system', labels: { 'k8s-app': 'metrics-server' }, ip: '10.244.105.10', ports: [{ name: 'https', port: 10250, protocol: 'TCP' }] },
    { name: STRIPE, labels: {}, ip: '54.187.174.169', ports: [{ port: 443, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }] },
    { name: OTLP_BACKEND, labels: {}, ip: '34.102.136.180', ports: [{ port: 4317, protocol: 'TCP' }] },
    { name: CLOUD_METADATA, labels: {}, ip: '169.254.169.254', ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] },
    // The same over IPv6 (AWS's instance metadata at fd00:ec2::254, a unique-local address).
    { name: `${CLOUD_METADATA}-ipv6`, labels: {}, ip: 'fd00:ec2::254', ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }] },
    { name: STRAY_POD, namespace: own, labels: { run: 'debug' }, ip: '10.244.102.10', ports: [{ port: 8080, protocol: 'TCP' }] },
    {
      name: IMPOSTOR,
      namespace: 'other',
      labels: { 'app.kubernetes.io/name': 'auth', 'app.kubernetes.io/component': 'api', 'app.kubernetes.io/part-of': 'ticketing' },
      ip: '10.244.103.10',
      ports: [{ name: 'http', port: 3000, protocol: 'TCP' }],
    },
  ];
}

/**
 * Every connection worth asking about: to every endpoint, on every port anything listens on
 * (a rule that names the right port but the wrong peer shows up as a stray pod's port 6379)
 * and on one nobody listens on (a rule without ports).
 */
export function candidateConnections(endpoints: Endpoint[], own: string): Connection[] {
  const ports = new Map<string, { port: number; protocol: Protocol }>();
  for (const p of [...endpoints.flatMap((e) => e.ports), { port: 9999, protocol: 'TCP' as const }]) ports.set(`${p.protocol}/${p.port}`, p);
  const out: Connection[] = [];
  for (const from of endpoints) {
    for (const to of endpoints) {
      // Traffic between two outsiders is not the namespace's policies' business.
      if (from.namespace !== own && to.namespace !== own) continue;
      for (const p of ports.values()) out.push({ from, to, port: p.port, protocol: p.protocol });
    }
  }
  return out;
}

const connectionKey = (c: Connection) => flowKey([c.from.name, c.to.name, c.protocol, c.port]);

/** What the policies let through: both ends, the receiving end alone, the sending end alone. */
export function reachability(model: NetworkModel, endpoints: Endpoint[], own: string) {
  const all = candidateConnections(endpoints, own);
  const keys = (cs: Connection[]) => [...new Set(cs.map(connectionKey))].sort();
  return {
    connections: keys(all.filter((c) => model.allows(c))),
    ingress: keys(all.filter((c) => c.to.namespace === own && model.endAllows('Ingress', c))),
    egress: keys(all.filter((c) => c.from.namespace === own && model.endAllows('Egress', c))),
  };
}

/** The same three views of the architecture table. */
export function expectedReachability(endpoints: Endpoint[], own: string) {
  const byName = new Map(endpoints.map((e) => [e.name, e]));
  const endpoint = (name: string) => {
    const e = byName.get(name);
    if (!e) throw new Error(`architecture names ${name}, which is not rendered`);
    return e;
  };
  const keys = (flows: Flow[]) => [...new Set(flows.map(flowKey))].sort();
  return {
    connections: keys(ARCHITECTURE),
    ingress: keys(ARCHITECTURE.filter(([, to]) => endpoint(to).namespace === own)),
    egress: keys(ARCHITECTURE.filter(([from]) => endpoint(from).namespace === own)),
  };
}
