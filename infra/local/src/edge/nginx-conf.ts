// Renders the local edge's nginx.conf from the stack's route table (PATH_RULES, the same
// rules as the HTTPRoutes of infra/k8s/base/gateway.yaml): one upstream pool per route with keep-alive
// connections to the replicas that answer their readiness probe, the error contract for
// what nginx answers itself, the anonymous catalogue's micro-cache and unbuffered streams.
import { CATALOGUE_PATHS, FRESHNESS_SECONDS, STREAMING_PREFIXES } from './policy';

export interface EdgeRoute {
  /** Path prefix, e.g. `/api/users`; `/` catches the rest (the client). */
  prefix: string;
  /** Upstream name: letters only (the service, or `client`). */
  name: string;
  /** Every replica, `http://127.0.0.1:port`. */
  targets: string[];
}

export interface NginxConfOptions {
  host: string;
  port: number;
  routes: EdgeRoute[];
  /** Replicas that answered their readiness probe last time; a route none of whose replicas is ready keeps them all (the requests fail as 502). */
  ready: ReadonlySet<string>;
  /** Folder for the pid file. */
  dir: string;
  /** Folder for temp files, the cache and the origin socket, reachable by the workers (default: dir). */
  scratchDir?: string;
  /** `user` directive when the launcher runs as root (workers drop privileges). */
  user?: string;
  workers?: number;
}

/** What nginx answers itself, in the services' error contract `{errors: [{message}]}`. */
const OWN_ERRORS: Record<number, string> = {
  400: 'Bad request',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  411: 'Length required',
  413: 'Request body too large',
  414: 'Request URI too long',
  494: 'Request headers too large',
  500: 'Internal error at the edge',
  501: 'Not implemented',
  502: 'Bad gateway: upstream unavailable',
  503: 'Service unavailable',
  504: 'Gateway timeout: upstream did not answer in time',
};

const hostPort = (url: string) => new URL(url).host;
const json = (s: unknown) => JSON.stringify(s).replace(/'/g, "\\'");

const escapeRegex = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Routing by the path as the client sent it (the ingress's pathType Prefix: the prefix itself
 * and everything under it), like the Node gateway: nginx matches locations on the decoded,
 * normalised path, where `/api/tickets/..%2F..%2Fx` would become `/x` — the service named by
 * the raw path answers such a request (400 for a malformed id) instead of another route.
 */
function routeMap(routes: EdgeRoute[]): string {
  const lines = routes
    .filter((r) => r.prefix !== '/')
    .map((r) => `    "~^${escapeRegex(r.prefix)}(?:[/?]|$)" ${r.name};`);
  const fallback = routes.some((r) => r.prefix === '/') ? 'client' : '""';
  return `  map $request_uri $edge_route {\n    default ${fallback};\n${lines.join('\n')}\n  }`;
}

/** Locations with a policy of their own: the micro-cached catalogue, unbuffered streams. */
function policyLocations(route: EdgeRoute): string {
  if (STREAMING_PREFIXES.includes(route.prefix)) {
    // Server-sent events: every byte at once, idle streams kept open, never cached.
    const stream = 'proxy_pass http://$edge_route; proxy_buffering off; proxy_cache off; proxy_read_timeout 1h; proxy_send_timeout 1h;';
    return `    location = ${route.prefix} { ${stream} }\n    location ${route.prefix}/ { ${stream} }`;
  }
  if (!CATALOGUE_PATHS.includes(route.prefix)) return '';
  return `    location = ${route.prefix} {
      # Anonymous catalogue: micro-cached (see policy.ts). A session cookie bypasses the
      # cache, so an author sees their change at once.
      proxy_pass http://$catalogue_${route.name};
      proxy_cache catalogue;
      proxy_cache_key $request_uri;
      proxy_cache_bypass $edge_has_session $edge_has_body;
      proxy_no_cache $edge_has_session $edge_has_body;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 5s;
      proxy_cache_use_stale updating;
      add_header X-Edge-Cache $upstream_cache_status always;
    }`;
}

function upstream(name: string, servers: string[]): string {
  return `  upstream ${name} {
${servers.map((s) => `    server ${s} max_fails=1 fail_timeout=2s;`).join('\n')}
    keepalive 128;
    keepalive_requests 100000;
    keepalive_timeout 60s;
  }`;
}

/**
 * The ready replicas per route, served as /gateway/healthz from a file the launcher rewrites:
 * nginx reloads only when a pool's servers change (a reload closes idle client connections, and
 * a request sent on one at that moment fails), not when a lone replica that stays in its pool
 * goes down and up.
 */
export function healthzJson(routes: EdgeRoute[], ready: ReadonlySet<string>): string {
  const byLength = [...routes].sort((a, b) => b.prefix.length - a.prefix.length);
  return JSON.stringify({ upstreams: byLength.map((r) => ({ prefix: r.prefix, healthy: r.targets.filter((t) => ready.has(t)) })) });
}

export function renderNginxConf(o: NginxConfOptions): string {
  const routes = [...o.routes].sort((a, b) => b.prefix.length - a.prefix.length);
  const serving = (r: EdgeRoute) => {
    const ready = r.targets.filter((t) => o.ready.has(t));
    return ready.length ? ready : r.targets;
  };
  const cached = routes.filter((r) => CATALOGUE_PATHS.includes(r.prefix));
  const scratch = o.scratchDir ?? o.dir;
  const origin = `unix:${scratch}/origin.sock`;
  const hasClient = routes.some((r) => r.prefix === '/');
  const errorLocations = Object.entries(OWN_ERRORS)
    // URI targets, not named locations: nginx cannot redirect a request whose URI it could not
    // parse (a malformed %-escape, %00) to a named location and would answer its own HTML 500.
    .map(([code, message]) => `    error_page ${code} /.edge-error/${code};\n    location = /.edge-error/${code} { internal; default_type application/json; return ${code === '494' ? 431 : code} '${json({ errors: [{ message }] })}'; }`)
    .join('\n');
  return `# Generated by infra/local/src/edge/nginx-conf.ts; rewritten on every readiness change.
${o.user ? `user ${o.user};\n` : ''}worker_processes ${o.workers ?? 1};
pid ${o.dir}/nginx.pid;
error_log stderr warn;
daemon off;
worker_shutdown_timeout 10s;
events { worker_connections 8192; }
http {
  access_log off;
  server_tokens off;
  default_type application/octet-stream;
  client_body_temp_path ${scratch}/tmp/body;
  proxy_temp_path ${scratch}/tmp/proxy;
  fastcgi_temp_path ${scratch}/tmp/fastcgi;
  uwsgi_temp_path ${scratch}/tmp/uwsgi;
  scgi_temp_path ${scratch}/tmp/scgi;
  # The ingress's bound (proxy-body-size); the services reject above 16 kB themselves.
  client_max_body_size 1m;
  large_client_header_buffers 4 16k;
  keepalive_timeout 65s;
  keepalive_requests 100000;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $http_host;
  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
  proxy_set_header X-Forwarded-Proto $edge_forwarded_proto;
  proxy_set_header X-Forwarded-Host $http_host;
  proxy_connect_timeout 5s;
  proxy_read_timeout 30s;
  proxy_send_timeout 30s;
  # Never resend a non-idempotent request; a GET whose replica refused goes to the next one.
  proxy_next_upstream error timeout;
  proxy_buffer_size 16k;
  proxy_buffers 16 16k;

  map $cookie_session $edge_has_session { "" 0; default 1; }
  # A request with a body (an odd GET) is the service's to judge, never answered from the cache.
  map $http_content_length$http_transfer_encoding $edge_has_body { "" 0; "0" 0; default 1; }
  # What a TLS-terminating proxy in front said, else this hop's scheme (as the Node gateway did).
  map $http_x_forwarded_proto $edge_forwarded_proto { "" $scheme; default $http_x_forwarded_proto; }
  # "@<epoch second>": a cached page is fresh until the end of the second it was fetched in,
  # so a change is served to anonymous readers within ${FRESHNESS_SECONDS} s (nginx counts whole seconds).
  map $msec $edge_epoch_second { "~^(?<s>[0-9]+)" $s; }
${routeMap(routes)}
${cached.map((r) => `  map $cookie_session $catalogue_${r.name} { "" ${r.name}_origin; default ${r.name}; }`).join('\n')}
  proxy_cache_path ${scratch}/cache levels=1:2 keys_zone=catalogue:4m max_size=64m inactive=1m use_temp_path=off;

${routes.map((r) => upstream(r.name, serving(r).map(hostPort))).join('\n')}
${cached.map((r) => upstream(`${r.name}_origin`, [origin])).join('\n')}

  server {
    listen ${o.host}:${o.port} backlog=4096;
${errorLocations}
    # Rewritten by the launcher on every probe (no reload: see healthzJson).
    location = /gateway/healthz { default_type application/json; alias ${scratch}/healthz.json; }
${routes.map(policyLocations).filter(Boolean).join('\n')}
    location / {
${hasClient ? '' : `      if ($edge_route = "") { return 404 '${json({ errors: [{ message: OWN_ERRORS[404] }] })}'; }\n`}      proxy_pass http://$edge_route;
    }
  }
${
  cached.length
    ? `
  # The catalogue's origin hop (cache misses only): stamps how long the edge may keep the page.
  server {
    listen ${origin};
    proxy_set_header X-Forwarded-For $http_x_forwarded_for;
${errorLocations}
${cached.map((r) => `    location = ${r.prefix} { proxy_pass http://${r.name}; add_header X-Accel-Expires "@$edge_epoch_second"; }`).join('\n')}
  }`
    : ''
}
}
`;
}
