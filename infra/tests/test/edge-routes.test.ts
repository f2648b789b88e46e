// The local edge (nginx, infra/local/src/edge), the Kubernetes Gateway's HTTPRoutes and the
// Ingress component route the same paths to the same services: all come from one table, the
// stack's PATH_RULES.
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1';
import { routeTable, type HTTPRoute } from '../src/gateway-api';
import { healthzJson, renderNginxConf } from '@ticketing/local/src/edge/nginx-conf';
import { CATALOGUE_PATHS, FRESHNESS_SECONDS, STREAMING_PREFIXES } from '@ticketing/local/src/edge/policy';
import { HTTP_SERVICES, PATH_RULES } from '@ticketing/local/src/stack';
import { parseYamlDocuments } from '../src/yaml';
import { readRepoFile } from '../src/repo';

// Every Ingress of the component (the live stream has one of its own, with streaming annotations).
const ingressFile = ['infra', 'k8s', 'components', 'ingress', 'ingress.yaml'];
const ingresses = parseYamlDocuments(readRepoFile(...ingressFile), ingressFile.join('/')) as IIngress[];
const ingressPaths = ingresses.flatMap((ingress) =>
  ingress.spec!.rules!.flatMap((r) => r.http!.paths.map((p) => ({ path: p.path!, type: p.pathType, service: p.backend.service!.name, port: p.backend.service!.port }))),
);
// Every HTTPRoute of the base (the live stream's too).
const gatewayFile = ['infra', 'k8s', 'base', 'gateway.yaml'];
const httpRoutes = (parseYamlDocuments(readRepoFile(...gatewayFile), gatewayFile.join('/')) as HTTPRoute[]).filter((d) => d.kind === 'HTTPRoute');
const routePaths = httpRoutes.flatMap(routeTable).map(([type, path, service, port]) => ({ path, type, service, port }));

const routes = [
  ...HTTP_SERVICES.map((s) => ({ prefix: PATH_RULES[s], name: s, targets: [`http://127.0.0.1:${41000 + HTTP_SERVICES.indexOf(s)}`] })),
  { prefix: '/', name: 'client', targets: ['http://127.0.0.1:41900'] },
];

describe('one route table for the local edge, the HTTPRoutes and the Ingress component', () => {
  test('every PATH_RULES prefix is an HTTPRoute PathPrefix to <service>-srv:3000, and the routes have no other path but the client catch-all', () => {
    const fromTable = HTTP_SERVICES.map((s) => ({ path: PATH_RULES[s], type: 'PathPrefix', service: `${s}-srv`, port: 3000 }));
    expect(routePaths).toEqual(expect.arrayContaining(fromTable));
    expect(routePaths.filter((p) => !fromTable.some((t) => t.path === p.path))).toEqual([{ path: '/', type: 'PathPrefix', service: 'client-srv', port: 3000 }]);
    expect(routePaths).toHaveLength(fromTable.length + 1);
  });

  test('the Ingress component routes exactly what the HTTPRoutes route (Prefix for PathPrefix, the Services\' http port)', () => {
    const asRoutes = ingressPaths.map((p) => ({ path: p.path, type: p.type === 'Prefix' ? 'PathPrefix' : p.type, service: p.service, port: p.port?.name === 'http' ? 3000 : p.port?.number }));
    expect([...asRoutes].sort((a, b) => a.path.localeCompare(b.path))).toEqual([...routePaths].sort((a, b) => a.path.localeCompare(b.path)));
  });

  test('the rendered nginx.conf routes each prefix (exactly, and everything under it, by the path as sent) to a keep-alive pool of its replicas that are ready', () => {
    const ready = new Set(routes.map((r) => r.targets[0]).filter((t) => !t.endsWith(':41001'))); // tickets' replica is not ready
    const conf = renderNginxConf({ host: '127.0.0.1', port: 40999, routes, ready, dir: '/tmp/edge' });
    for (const r of routes.filter((x) => x.prefix !== '/')) {
      expect(conf).toContain(`"~^${r.prefix}(?:[/?]|$)" ${r.name};`);
      expect(conf).toMatch(new RegExp(`upstream ${r.name} \\{\\n    server ${new URL(r.targets[0]).host} [^\\n]*\\n    keepalive \\d+;`));
    }
    expect(conf).toMatch(/map \$request_uri \$edge_route \{\n {4}default client;/);
    expect(conf).toMatch(/location \/ \{\n\s+proxy_pass http:\/\/\$edge_route;/);
    // A route none of whose replicas is ready keeps them all (requests then fail as 502 JSON, not as a missing upstream).
    expect(conf).toContain('upstream tickets {\n    server 127.0.0.1:41001');
    expect(JSON.parse(healthzJson(routes, ready)).upstreams).toContainEqual({ prefix: '/api/tickets', healthy: [] });
  });

  test('the catalogue is micro-cached (bypassed with a session cookie), streams are unbuffered, and edge errors are JSON', () => {
    const conf = renderNginxConf({ host: '127.0.0.1', port: 40999, routes, ready: new Set(), dir: '/tmp/edge' });
    expect(CATALOGUE_PATHS).toEqual(['/api/tickets']);
    expect(conf).toContain('proxy_cache_bypass $edge_has_session $edge_has_body;');
    expect(conf).toContain('proxy_no_cache $edge_has_session $edge_has_body;');
    expect(conf).toContain('proxy_cache_lock on;');
    expect(conf).toContain('proxy_cache_use_stale updating;');
    expect(conf).toContain('add_header X-Accel-Expires "@$edge_epoch_second";');
    expect(conf).toMatch(/error_page 502 \/\.edge-error\/502;\n\s+location = \/\.edge-error\/502 \{ internal; default_type application\/json; return 502 '\{"errors":\[\{"message":"Bad gateway[^"]*"\}\]\}'; \}/);
    const streamed = renderNginxConf({ host: '127.0.0.1', port: 40999, routes: [...routes, { prefix: STREAMING_PREFIXES[0], name: 'live', targets: ['http://127.0.0.1:41950'] }], ready: new Set(), dir: '/tmp/edge' });
    expect(streamed).toContain(`location ${STREAMING_PREFIXES[0]}/ { proxy_pass http://$edge_route; proxy_buffering off; proxy_cache off; proxy_read_timeout 1h;`);
    expect(streamed).toContain(`"~^${STREAMING_PREFIXES[0]}(?:[/?]|$)" live;`);
  });
});

test("the client's live refresh waits out the same catalogue freshness as the edge's cache", () => {
  const hook = readRepoFile('client', 'components', 'live', 'useLive.ts');
  const declared = /CATALOGUE_FRESHNESS_MS = ([\d_]+);/.exec(hook)?.[1];
  expect(Number(declared?.replace(/_/g, ''))).toBe(FRESHNESS_SECONDS * 1000);
});
