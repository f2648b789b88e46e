import type { K8sObject } from './k8s';

/** The fields of the Gateway API objects the tests read (schema: the vendored CRDs). */
export interface HTTPRouteRule {
  matches: { path: { type: string; value: string } }[];
  backendRefs: { name: string; port: number }[];
  timeouts?: { request?: string };
  filters?: unknown[];
}
export interface HTTPRoute extends K8sObject {
  spec: { parentRefs: { name: string; sectionName?: string }[]; hostnames?: string[]; rules: HTTPRouteRule[] };
}
export interface Gateway extends K8sObject {
  spec: { gatewayClassName: string; listeners: { name: string; protocol: string; port: number; hostname?: string; tls?: unknown }[] };
}

/** A route's rules as [match type, path, backend Service, port], one per match and backend. */
export function routeTable(route: HTTPRoute): [string, string, string, number][] {
  return route.spec.rules.flatMap((rule) =>
    (rule.matches ?? []).flatMap((m) => (rule.backendRefs ?? []).map((b) => [m.path.type, m.path.value, b.name, b.port] as [string, string, string, number])),
  );
}
