import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { NotFoundError, RequestValidationError, type ErrorItem } from '../errors';

/** What a route reads from a request, as zod schemas (they also make its OpenAPI document). */
export interface RequestSchemas {
  /** Path parameters: a value that breaks its schema names nothing, so it is a 404 with the issue's message. */
  params?: z.ZodType;
  /** Query parameters: 400 in the error contract, `field` naming the parameter. */
  query?: z.ZodType;
  /** JSON body: 400 in the error contract, `field` naming the field. */
  body?: z.ZodType;
}

/** The first problem of each field, in the schema's order: the error contract's entries. */
function errorItems(issues: z.core.$ZodIssue[]): ErrorItem[] {
  const seen = new Set<string>();
  const items: ErrorItem[] = [];
  for (const issue of issues) {
    const field = issue.path.map(String).join('.');
    if (seen.has(field)) continue;
    seen.add(field);
    items.push(field ? { message: issue.message, field } : { message: issue.message });
  }
  return items;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Express 5 parses `req.query` afresh on every read: pin the parsed copy on the request so
 * handlers read the checked, canonical values.
 */
function pinQuery(req: Request, value: unknown) {
  Object.defineProperty(req, 'query', { value, writable: true, configurable: true, enumerable: true });
}

/**
 * The one request validation: checks params, query and body against the route's schemas and
 * replaces each by what the schema makes of it (canonical ids, prices as numbers, unknown
 * fields dropped), so a handler only ever reads checked values.
 */
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, _res, next) => {
    if (schemas.params) {
      const parsed = schemas.params.safeParse(req.params);
      if (!parsed.success) throw new NotFoundError(parsed.error.issues[0].message);
      Object.assign(req.params, parsed.data);
    }
    const items: ErrorItem[] = [];
    if (schemas.query) {
      const parsed = schemas.query.safeParse({ ...req.query });
      if (parsed.success) pinQuery(req, parsed.data);
      else items.push(...errorItems(parsed.error.issues));
    }
    if (schemas.body) {
      // No JSON object (none sent, another content type, an array) reads as an empty one: each
      // required field is then reported missing, by name.
      const body: unknown = isPlainObject(req.body) ? req.body : {};
      const parsed = schemas.body.safeParse(body);
      if (parsed.success) req.body = parsed.data;
      else items.push(...errorItems(parsed.error.issues));
    }
    if (items.length > 0) throw new RequestValidationError(items);
    next();
  };
}
