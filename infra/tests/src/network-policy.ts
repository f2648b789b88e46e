import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { INetworkPolicy, INetworkPolicyPeer, INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1';
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';

/**
 * A small evaluator of Kubernetes NetworkPolicy (networking.k8s.io/v1) semantics, for checking
 * rendered manifests without a cluster:
 * - a policy applies to the pods of its namespace its podSelector selects ({} = all);
 * - policyTypes defaults to [Ingress], plus Egress when the policy has egress rules;
 * - a pod is isolated for ingress (egress) when any policy applying to it has that type;
 *   then a connection is allowed on that end only if a rule of such a policy allows it;
 * - a rule allows a peer when `from`/`to` is absent or empty, or one peer matches: podSelector
 *   alone = pods of the policy's namespace; namespaceSelector alone = every pod of the selected
 *   namespaces; both = pods selected by the podSelector in the selected namespaces; ipBlock =
 *   the address inside cidr and outside every except;
 * - a rule allows a port when `ports` is absent or empty, or one entry matches (protocol
 *   defaults to TCP; a named port is the destination pod's container port of that name;
 *   endPort makes a range);
 * - a connection happens only when the source's egress AND the destination's ingress allow it.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface NamedPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

/** A pod (in or outside the rendered namespace) or an address outside the cluster. */
export interface Endpoint {
  name: string;
  /** Absent for addresses outside the cluster. */
  namespace?: string;
  labels: Record<string, string>;
  ip: string;
  /** Ports it listens on (container ports for pods). */
  ports: NamedPort[];
}

export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  port: number;
  protocol: Protocol;
}

export type NetworkPolicy = INetworkPolicy & { metadata: { name: string; namespace?: string } };

export type Direction = 'Ingress' | 'Egress';

export class NetworkModel {
  constructor(
    readonly policies: NetworkPolicy[],
    readonly namespaces: Namespace[],
    /** Namespace of policies that have none (what `kubectl apply` would use). */
    readonly defaultNamespace: string,
  ) {}

  /** Does the connection happen (both ends allow it)? */
  allows(c: Connection): boolean {
    return this.endAllows('Egress', c) && this.endAllows('Ingress', c);
  }

  /** Does one end allow the connection: the source for Egress, the destination for Ingress? */
  endAllows(direction: Direction, c: Connection): boolean {
    const subject = direction === 'Egress' ? c.from : c.to;
    if (subject.namespace === undefined) return true; // outside the cluster: no policy applies
    const isolating = this.isolating(direction, subject);
    if (isolating.length === 0) return true;
    const peer = direction === 'Egress' ? c.to : c.from;
    return isolating.some((p) => {
      const rules = (direction === 'Egress' ? p.spec?.egress : p.spec?.ingress) ?? [];
      return rules.some((rule) => {
        const peers = direction === 'Egress' ? (rule as { to?: INetworkPolicyPeer[] }).to : (rule as { from?: INetworkPolicyPeer[] }).from;
        const peerOk = !peers || peers.length === 0 || peers.some((x) => this.peerMatches(x, p, peer));
        const portOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((x) => portMatches(x, c));
        return peerOk && portOk;
      });
    });
  }

  private readonly isolatingCache = new Map<string, NetworkPolicy[]>();
  /** The policies that select the pod and have the direction in their policyTypes. */
  private isolating(direction: Direction, pod: Endpoint): NetworkPolicy[] {
    const key = `${direction} ${pod.namespace}/${pod.name}`;
    let found = this.isolatingCache.get(key);
    if (!found) {
      found = this.policies.filter(
        (p) => this.namespaceOf(p) === pod.namespace && selectorMatches(p.spec?.podSelector, pod.labels) && policyTypes(p).includes(direction),
      );
      this.isolatingCache.set(key, found);
    }
    return found;
  }

  private namespaceOf(p: NetworkPolicy): string {
    return p.metadata.namespace ?? this.defaultNamespace;
  }

  private peerMatches(peer: INetworkPolicyPeer, policy: NetworkPolicy, e: Endpoint): boolean {
    if (peer.ipBlock) {
      if (peer.podSelector || peer.namespaceSelector) throw new Error(`${policy.metadata.name}: ipBlock with a selector is invalid`);
      return ipInBlock(e.ip, peer.ipBlock.cidr, peer.ipBlock.except ?? []);
    }
    if (!peer.podSelector && !peer.namespaceSelector) throw new Error(`${policy.metadata.name}: a peer needs a selector or an ipBlock`);
    if (e.namespace === undefined) return false; // selectors select pods only
    if (peer.namespaceSelector) {
      const ns = this.namespaces.find((n) => n.name === e.namespace);
      if (!ns || !selectorMatches(peer.namespaceSelector, ns.labels)) return false;
    } else if (e.namespace !== this.namespaceOf(policy)) {
      return false;
    }
    return peer.podSelector ? selectorMatches(peer.podSelector, e.labels) : true;
  }
}

/** policyTypes as the API server defaults it. */
export function policyTypes(p: NetworkPolicy): Direction[] {
  if (p.spec?.policyTypes && p.spec.policyTypes.length > 0) return p.spec.policyTypes;
  return p.spec?.egress && p.spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Label selector semantics: {} selects everything; absent (only where allowed) too. */
export function selectorMatches(selector: ILabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In':
        if (!has || !(e.values ?? []).includes(labels[e.key])) return false;
        break;
      case 'NotIn':
        if (has && (e.values ?? []).includes(labels[e.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  }
  return true;
}

function portMatches(p: INetworkPolicyPort, c: Connection): boolean {
  if ((p.protocol ?? 'TCP') !== c.protocol) return false;
  if (p.port === undefined) return true; // every port of the protocol
  if (typeof p.port === 'string') {
    // A named port is looked up on the destination pod (outside the cluster: none).
    if (c.to.namespace === undefined) return false;
    const named = c.to.ports.find((x) => x.name === p.port && x.protocol === c.protocol);
    return named !== undefined && named.port === c.port;
  }
  return p.endPort !== undefined ? c.port >= p.port && c.port <= p.endPort : c.port === p.port;
}

export function ipInBlock(ip: string, cidr: string, except: string[]): boolean {
  const family = (a: string) => (isIPv4(a) ? 'ipv4' : isIPv6(a) ? 'ipv6' : undefined);
  const parse = (c: string) => {
    const [net, bits] = c.split('/');
    const fam = family(net);
    if (!fam || bits === undefined) throw new Error(`bad CIDR ${c}`);
    return { net, bits: Number(bits), fam } as const;
  };
  const block = (cidrs: string[]) => {
    const list = new BlockList();
    for (const c of cidrs) {
      const { net, bits, fam } = parse(c);
      list.addSubnet(net, bits, fam);
    }
    return list;
  };
  const fam = family(ip);
  if (!fam) throw new Error(`bad address ${ip}`);
  if (parse(cidr).fam !== fam) return false;
  return block([cidr]).check(ip, fam) && !block(except.filter((e) => parse(e).fam === fam)).check(ip, fam);
}
