import type { RequestHandler } from 'express';
import { BadRequestError } from '../errors';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function findUnsafeKey(value: unknown, depth = 0): string | undefined {
  if (depth > 20) return '(nesting too deep)';
  if (Array.isArray(value)) {
    for (const v of value) {
      const bad = findUnsafeKey(v, depth + 1);
      if (bad) return bad;
    }
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (key.startsWith('$') || FORBIDDEN.has(key)) return key;
      const bad = findUnsafeKey((value as Record<string, unknown>)[key], depth + 1);
      if (bad) return bad;
    }
  }
  return undefined;
}

/**
 * MongoDB operators (`{"email":{"$gt":""}}`) and prototype keys have no business in a
 * request: reject them before any handler can pass them to a query.
 */
export const rejectUnsafeKeys: RequestHandler = (req, _res, next) => {
  const bad = findUnsafeKey(req.body) ?? findUnsafeKey(req.query);
  if (bad) throw new BadRequestError(`Invalid key in request: ${bad}`);
  next();
};
