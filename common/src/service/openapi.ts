import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { allowedMethods } from '../contract/allowed-methods';
import type { OpenApiDocument } from '../contract/document';

/**
 * Serves a service's OpenAPI document at `<base>/openapi.json` and Swagger UI at
 * `<base>/docs`, e.g. base `/api/users`, and answers methods the document does not declare
 * for its paths with 405 (wherever the router is mounted: that decision needs only the document).
 */
export function openApiRouter(base: string, doc: OpenApiDocument): Router {
  const router = Router();
  router.use(allowedMethods(doc));
  router.get(`${base}/openapi.json`, (_req, res) => {
    res.send(doc);
  });
  // Swagger UI is read-only; other methods fall through to the 404. It needs inline
  // scripts and styles that the default helmet policy forbids.
  router.use(`${base}/docs`, (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next('router');
    res.removeHeader('Content-Security-Policy');
    next();
  });
  router.use(`${base}/docs`, swaggerUi.serve, swaggerUi.setup(doc, { customSiteTitle: doc.info.title }));
  return router;
}

/** The API routes an Express app answers, as `METHOD /path` with `:param` → `{param}`. */
export function listRoutes(app: { router?: unknown; _router?: unknown }, prefix = '/api/'): string[] {
  const out = new Set<string>();
  type Layer = { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: Layer[] } };
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = String(layer.route.path).replace(/:(\w+)/g, '{$1}');
        if (!path.startsWith(prefix)) continue;
        for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') out.add(`${method.toUpperCase()} ${path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  const router = (app.router ?? app._router) as { stack: Layer[] };
  walk(router.stack);
  return [...out].sort();
}

/** The operations an OpenAPI document declares, in listRoutes' form. */
export function documentedRoutes(doc: OpenApiDocument): string[] {
  const methods = ['get', 'put', 'post', 'delete', 'patch'];
  return Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops).filter((m) => methods.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
}
