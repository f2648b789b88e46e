import type { Request, RequestHandler } from 'express';
import { body, query, type ValidationChain } from 'express-validator';
import { NotFoundError } from '../errors';

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/**
 * The one canonical form of an id: a string of exactly 24 hex digits (any case in, lower case
 * out), or `undefined`. Nothing else is an id: no padding or whitespace, no other digits
 * (fullwidth, Arabic-Indic), no percent-encoding left over, no 12-character strings (which
 * mongoose would take as 12 raw bytes), no numbers, arrays or objects. Every route and event
 * that takes an id goes through this, so "the same id spelled differently" is one thing.
 */
export function canonicalObjectId(value: unknown): string | undefined {
  return typeof value === 'string' && OBJECT_ID.test(value) ? value.toLowerCase() : undefined;
}

/** True for a value `canonicalObjectId` accepts (in any case). */
export function isObjectId(value: unknown): value is string {
  return canonicalObjectId(value) !== undefined;
}

/**
 * Route param `name` (default `id`): a malformed id names nothing, so it is a 404 with
 * `notFoundMessage` (never a cast error); a valid one is replaced on `req.params` by its
 * canonical form, so every filter and key downstream uses it.
 */
export function canonicalIdParam(notFoundMessage: string, name = 'id'): RequestHandler {
  return (req, _res, next) => {
    const id = canonicalObjectId(req.params[name]);
    if (id === undefined) throw new NotFoundError(notFoundMessage);
    req.params[name] = id;
    next();
  };
}

/** The route param `canonicalIdParam` checked and replaced: the canonical id string. */
export function canonicalParam(req: Request, name = 'id'): string {
  return req.params[name] as string;
}

/**
 * Express 5 parses `req.query` afresh on every read, so a sanitized value would be lost:
 * pin one parsed copy on the request so sanitizers write into it.
 */
const pinQuery: RequestHandler = (req, _res, next) => {
  Object.defineProperty(req, 'query', { value: { ...req.query }, writable: true, configurable: true, enumerable: true });
  next();
};

/**
 * A body or query field holding an id: 400 in the error contract (`field` set, through
 * `validateRequest`) unless it is an id, and replaced on the request by its canonical form.
 * `optional` lets an absent field through (only absent: `null` or `""` is a 400).
 */
export function canonicalIdField(
  location: 'body' | 'query',
  field: string,
  message: string,
  opts: { optional?: boolean } = {},
): RequestHandler[] {
  let chain: ValidationChain = (location === 'body' ? body : query)(field);
  if (opts.optional) chain = chain.optional();
  chain = chain
    .custom(isObjectId)
    .withMessage(message)
    .bail()
    .customSanitizer((v: unknown) => canonicalObjectId(v));
  return location === 'query' ? [pinQuery, chain] : [chain];
}
