import type { RequestHandler } from 'express';
import { CustomError, type ErrorItem } from '../errors';
import type { OpenApiDocument } from './document';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** A method the resource does not have: 405 with `Allow` (RFC 9110), in the error contract. */
export class MethodNotAllowedError extends CustomError {
  readonly statusCode = 405;
  constructor(readonly allow: string[]) {
    super('Method not allowed');
  }
  serializeErrors(): ErrorItem[] {
    return [{ message: `Method not allowed; this path allows ${this.allow.join(', ')}` }];
  }
  override headers(): Record<string, string> {
    return { Allow: this.allow.join(', ') };
  }
}

/** `/api/tickets/{id}` → a regex matching what Express routes there (case-insensitive, optional trailing slash). */
const pathPattern = (template: string) =>
  new RegExp(`^${template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}/?$`, 'i');

/** Literal segments: `/api/tickets/mine` names its resource more exactly than `/api/tickets/{id}`. */
const literalSegments = (template: string) => template.split('/').filter((s) => s && !/^\{\w+\}$/.test(s)).length;

/**
 * Answers a method the document does not declare for a path it does declare: 405 with the
 * methods of that path (the most exact template matching it: `/api/tickets/mine`, not
 * `/api/tickets/{id}`; GET brings HEAD, as Express serves it); OPTIONS gets 204 with the same
 * `Allow`. Other requests go on (an unknown path stays a 404). Mount it before the routes, so
 * that `PUT /api/tickets/mine` is a 405 rather than a ticket id that names nothing.
 */
export function allowedMethods(doc: OpenApiDocument): RequestHandler {
  const paths = Object.entries(doc.paths).map(([template, ops]) => ({
    pattern: pathPattern(template),
    exactness: literalSegments(template),
    methods: Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => m.toUpperCase()),
  }));
  return (req, res, next) => {
    const candidates = paths.filter((p) => p.pattern.test(req.path));
    if (candidates.length === 0) return next();
    const exactness = Math.max(...candidates.map((p) => p.exactness));
    const matching = candidates.filter((p) => p.exactness === exactness);
    const methods = new Set(matching.flatMap((p) => p.methods));
    if (methods.has('GET')) methods.add('HEAD');
    if (methods.has(req.method)) return next();
    const allow = [...methods, 'OPTIONS'];
    if (req.method === 'OPTIONS') {
      res.set('Allow', allow.join(', ')).status(204).end();
      return;
    }
    throw new MethodNotAllowedError(allow);
  };
}
