import { Router, type Request, type RequestHandler } from 'express';
import type { z } from 'zod';
import { requireAuth } from '../middlewares/require-auth';
import { validate, type RequestSchemas } from '../middlewares/validate';
import type { JsonSchema } from '../validation/schemas';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch';

/** Who may call a route: anyone; only with a session (else 401); anyone, a session adds to the answer. */
export type Access = 'public' | 'signed-in' | 'optional-session';

export interface ResponseSpec {
  description: string;
  /** The JSON body: a zod schema (its output side), or JSON Schema for what zod does not describe. */
  body?: z.ZodType | JsonSchema;
  /** Default application/json when there is a body. */
  contentType?: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

/** A request header the route reads (documented; checked by the handler). */
export interface HeaderParameter {
  name: string;
  required: boolean;
  description: string;
  schema: JsonSchema;
}

/**
 * One route's contract: where it is, who may call it, what it reads (zod schemas, checked by
 * `validate` before the handler) and every answer it can give besides the ones all routes
 * share (see openApiDocument). The same object routes the request and writes the document.
 */
export interface RouteContract<S extends RequestSchemas = RequestSchemas> {
  method: HttpMethod;
  /** Express form: `/api/tickets/:id`. */
  path: string;
  summary: string;
  description?: string;
  access: Access;
  /** Instead of what `access` implies, e.g. another cookie. */
  security?: Record<string, string[]>[];
  request?: S;
  headers?: HeaderParameter[];
  responses: Record<number, ResponseSpec>;
}

type Out<T> = T extends z.ZodType ? z.output<T> : never;

export interface Route<S extends RequestSchemas = RequestSchemas> extends RouteContract<S> {
  /** The checked body, params and query (after `validate`). */
  body(req: Request): Out<S['body']>;
  params(req: Request): Out<S['params']>;
  query(req: Request): Out<S['query']>;
}

export function defineRoute<S extends RequestSchemas = RequestSchemas>(contract: RouteContract<S>): Route<S> {
  return {
    ...contract,
    body: (req) => req.body as Out<S['body']>,
    params: (req) => req.params as Out<S['params']>,
    query: (req) => req.query as Out<S['query']>,
  };
}

/**
 * Mounts `route` on `router` the one way every service does: the session check its access
 * asks for, then `guards` (e.g. a rate limit: they count invalid requests too), then the
 * request's validation, then the handler.
 */
export function mountRoute(router: Router, route: Route, ...handlers: [...guards: RequestHandler[], handler: RequestHandler]): Router {
  const handler = handlers[handlers.length - 1];
  const guards = handlers.slice(0, -1);
  const auth = route.access === 'signed-in' ? [requireAuth] : [];
  router[route.method](route.path, ...auth, ...guards, validate(route.request ?? {}), handler);
  return router;
}
