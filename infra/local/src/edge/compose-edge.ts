// The edge of compose.yaml: the same nginx.conf as `npm start`'s edge (renderNginxConf, routes
// from PATH_RULES), its upstreams being the compose services by name (one container each, so
// every pool is its one server: nginx never needs rewriting). The files are committed
// (infra/compose/edge/) and infra/tests/test/edge-routes.test.ts checks they are current.
// Regenerate: npx tsx infra/local/src/edge/compose-edge.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { HTTP_SERVICES, PATH_RULES } from '../stack';
import { healthzJson, renderNginxConf, type EdgeRoute } from './nginx-conf';

/** The port every compose container listens on (the images' PORT), and the edge's own. */
export const COMPOSE_SERVICE_PORT = 3000;
export const COMPOSE_EDGE_PORT = 8080;
/** Where the edge keeps its pid, temp files, cache and healthz.json: a tmpfs in the container. */
export const COMPOSE_EDGE_SCRATCH = '/tmp/edge';

export const composeEdgeRoutes = (): EdgeRoute[] => [
  ...HTTP_SERVICES.map((s) => ({ prefix: PATH_RULES[s], name: s, targets: [`http://${s}:${COMPOSE_SERVICE_PORT}`] })),
  { prefix: '/', name: 'client', targets: [`http://client:${COMPOSE_SERVICE_PORT}`] },
];

const allTargets = (routes: EdgeRoute[]) => new Set(routes.flatMap((r) => r.targets));

export function composeEdgeFiles(): Record<'nginx.conf' | 'healthz.json', string> {
  const routes = composeEdgeRoutes();
  // Every pool is ready: compose starts the edge once each service answers its healthcheck.
  const ready = allTargets(routes);
  return {
    'nginx.conf': renderNginxConf({ host: '0.0.0.0', port: COMPOSE_EDGE_PORT, routes, ready, dir: COMPOSE_EDGE_SCRATCH, scratchDir: COMPOSE_EDGE_SCRATCH }),
    'healthz.json': `${healthzJson(routes, ready)}\n`,
  };
}

export const COMPOSE_EDGE_DIR = path.resolve(__dirname, '..', '..', '..', 'compose', 'edge');

if (require.main === module) {
  for (const [name, text] of Object.entries(composeEdgeFiles())) writeFileSync(path.join(COMPOSE_EDGE_DIR, name), text);
  process.stdout.write(`[compose-edge] wrote ${COMPOSE_EDGE_DIR}/{nginx.conf,healthz.json}\n`);
}
