import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/**
 * Serves a service's OpenAPI document at `<base>/openapi.json` and Swagger UI at
 * `<base>/docs`, e.g. base `/api/users`.
 */
export function openApiRouter(base: string, doc: OpenApiDocument): Router {
  const router = Router();
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

/** The error contract `{"errors":[{"message","field?"}]}` and the session cookie, for every document. */
export const openApiCommonComponents = {
  securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'session' } },
  schemas: {
    Errors: {
      type: 'object',
      required: ['errors'],
      properties: {
        errors: {
          type: 'array',
          items: {
            type: 'object',
            required: ['message'],
            properties: { message: { type: 'string' }, field: { type: 'string', description: 'The request field at fault' } },
          },
        },
      },
    },
  },
};

/** A response in the error contract. */
export const errorResponse = (description: string, headers?: Record<string, unknown>) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
  ...(headers && { headers }),
});

/** The Retry-After header of a 429 (TooManyRequestsError sets it). */
export const retryAfterHeader = {
  'Retry-After': { description: 'Seconds until another attempt is allowed', schema: { type: 'integer', minimum: 1 } },
};

/** A 429 in the error contract, with Retry-After. */
export const tooManyRequestsResponse = (description: string) => errorResponse(description, retryAfterHeader);
