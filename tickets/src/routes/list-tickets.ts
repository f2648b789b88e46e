import { BadRequestError, canonicalObjectId, defineRoute, mountRoute, PRICE_STRING_PATTERN, readPrice, ruleField, singleLineTextProblem, SINGLE_LINE_TEXT_PATTERN } from '@ticketing/common';
import { ticketSchema } from '@ticketing/common/api';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { Ticket } from '../models/ticket';
import { ticketView } from '../models/ticket-view';

export const LIST_DEFAULT_LIMIT = 50;
export const LIST_MAX_LIMIT = 200;
export const SORTS = ['newest', 'price-asc', 'price-desc'] as const;
type Sort = (typeof SORTS)[number];
const QUERY_RULE = { maxLength: 100, label: 'q' } as const;

/** Only the fields the catalogue shows (no history, no bookkeeping). */
const LIST_PROJECTION = { title: 1, price: 1, userId: 1, version: 1, state: 1, organizerId: 1, faceValue: 1, resaleCapPercent: 1, holderId: 1 };

const PRICE_PARAM = /^\d{1,7}(\.\d{1,2})?$/;

/** A query parameter given at most once (a repeated one arrives as an array) that `ok` accepts. */
const param = <T = string>(schema: Record<string, unknown>, ok: (v: string) => boolean, message: (v: unknown) => string, read: (v: string) => T = (v) => v as T) =>
  ruleField<T>(schema, (v) => (typeof v === 'string' && ok(v) ? { value: read(v) } : { problem: message(v) })).optional();

/** A price query parameter: a decimal ≥ 0 with at most 2 decimals. */
const priceParam = (name: string, description: string) =>
  param({ type: 'string', pattern: PRICE_PARAM.source, description }, (v) => PRICE_PARAM.test(v), () => `${name} must be a price (e.g. 10 or 12.50)`);

const listQuery = z.object({
  q: param(
    { type: 'string', minLength: 1, maxLength: QUERY_RULE.maxLength, pattern: SINGLE_LINE_TEXT_PATTERN, description: 'Title contains this text (case-insensitive, taken literally: no pattern)' },
    (v) => singleLineTextProblem(v, QUERY_RULE) === undefined,
    (v) => (typeof v === 'string' ? singleLineTextProblem(v, QUERY_RULE)! : 'q must be given once'),
  ),
  minPrice: priceParam('minPrice', 'Price at least this'),
  maxPrice: priceParam('maxPrice', 'Price at most this (not below minPrice)'),
  sort: param<Sort>(
    { type: 'string', enum: [...SORTS], default: 'newest' },
    (v) => (SORTS as readonly string[]).includes(v),
    () => `sort must be one of ${SORTS.join(', ')}`,
  ),
  cursor: param(
    {
      type: 'string',
      pattern: `^([0-9a-fA-F]{24}|${PRICE_STRING_PATTERN.slice(1, -1)}_[0-9a-fA-F]{24})$`,
      description: 'The X-Next-Cursor of the previous page (the last id; `<price>_<id>` for the price sorts), with the same other parameters (pages stay stable while tickets are added)',
    },
    () => true,
    () => 'cursor must be given once',
  ),
  limit: param<number>(
    { type: 'integer', minimum: 1, maximum: LIST_MAX_LIMIT, default: LIST_DEFAULT_LIMIT, description: `Page size; outside 1..${LIST_MAX_LIMIT} is a 400` },
    (v) => /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= LIST_MAX_LIMIT,
    () => `limit must be an integer from 1 to ${LIST_MAX_LIMIT}`,
    Number,
  ),
  before: param({ type: 'string', pattern: '^[0-9a-fA-F]{24}$', description: 'Older spelling of `cursor` for sort=newest' }, () => true, () => 'before must be given once'),
});

/** Regex metacharacters taken literally: `q` is a substring, never a pattern. */
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A page cursor: the last row's id (newest), or `<price>_<id>` (price sorts). */
function readCursor(cursor: string, sort: Sort, field: string): { price?: number; id: string } {
  const [price, id] = sort === 'newest' ? [undefined, cursor] : cursor.split('_');
  const canonical = canonicalObjectId(id);
  const priceOk = sort === 'newest' || (price !== undefined && 'price' in readPrice(price));
  if (!canonical || !priceOk) throw new BadRequestError(`${field} must come from X-Next-Cursor of the same sort (${sort})`, field);
  return { id: canonical, ...(price !== undefined && { price: Number(price) }) };
}

/** The page after `cursor` in `sort` order: strictly after the last row's (price,) _id. */
function afterCursor(sort: Sort, c: { price?: number; id: string }) {
  if (sort === 'newest') return { _id: { $lt: c.id } };
  const op = sort === 'price-asc' ? '$gt' : '$lt';
  return { $or: [{ price: { [op]: c.price } }, { price: c.price, _id: { [op]: c.id } }] };
}

const orderOf = (sort: Sort): Record<string, 1 | -1> =>
  sort === 'newest' ? { _id: -1 } : sort === 'price-asc' ? { price: 1, _id: 1 } : { price: -1, _id: -1 };

const nextLink = (req: Request, limit: number, cursor: string) => {
  const params = new URLSearchParams(req.query as Record<string, string>);
  params.delete('before');
  params.delete('cursor');
  params.set('limit', String(limit));
  params.set('cursor', cursor);
  return `</api/tickets?${params.toString()}>; rel="next"`;
};

/**
 * The catalogue: available tickets (listed, not reserved), searched and sorted. `q` is a title
 * substring (case-insensitive, taken literally), `minPrice`/`maxPrice` bound the price,
 * `sort` is newest (default), price-asc or price-desc. Keyset pagination: the next page is
 * `?cursor=<X-Next-Cursor>` with the same other parameters (also in `Link: rel="next"`), only
 * when there is one, so the body stays a plain array; tickets listed meanwhile never shift
 * later pages. `before=<id>` (the older spelling of the newest-first cursor) still works.
 * A bad value is a 400 naming the parameter, never silently ignored or clamped.
 */
export const listTicketsRoute = defineRoute({
  method: 'get',
  path: '/api/tickets',
  summary: 'The catalogue: tickets for sale (not reserved), searched, sorted, paginated',
  description: 'Other query parameters are ignored.',
  access: 'public',
  request: { query: listQuery },
  responses: {
    200: {
      description: 'A page of tickets',
      headers: {
        'X-Next-Cursor': { schema: { type: 'string' }, description: 'Cursor of the next page; absent on the last page' },
        Link: { schema: { type: 'string' }, description: 'RFC 8288 `rel="next"` link; absent on the last page' },
      },
      body: z.array(ticketSchema),
    },
    400: {
      description:
        'Invalid q, minPrice, maxPrice, sort, limit, cursor or before (the field names it); minPrice above maxPrice; a cursor of another sort; before with a price sort or with cursor',
    },
  },
});

export function listTicketsRouter(): Router {
  return mountRoute(Router(), listTicketsRoute, async (req, res) => {
    const q = listTicketsRoute.query(req);
    const limit = q.limit ?? LIST_DEFAULT_LIMIT;
    const sort = q.sort ?? 'newest';
    const min = q.minPrice === undefined ? undefined : Number(q.minPrice);
    const max = q.maxPrice === undefined ? undefined : Number(q.maxPrice);
    if (min !== undefined && max !== undefined && min > max) throw new BadRequestError('minPrice must not exceed maxPrice', 'minPrice');
    if (q.before !== undefined && (sort !== 'newest' || q.cursor !== undefined)) throw new BadRequestError('before is the newest-first cursor: use cursor', 'before');
    const rawCursor = q.cursor ?? q.before;
    const cursor = rawCursor === undefined ? undefined : readCursor(rawCursor, sort, q.cursor !== undefined ? 'cursor' : 'before');

    // Available: no order (a sold ticket keeps its sale's), listed or older without a state.
    // The equality on orderId and state leads the indexes { orderId, state, _id } and
    // { orderId, state, price, _id }, which also give the sort; title and price narrow it.
    const price = { ...(min !== undefined && { $gte: min }), ...(max !== undefined && { $lte: max }) };
    const filter = {
      orderId: null,
      state: { $in: [null, 'listed' as const] },
      ...(min !== undefined || max !== undefined ? { price } : {}),
      ...(q.q !== undefined && { title: { $regex: escapeRegex(q.q), $options: 'i' } }),
      ...(cursor && afterCursor(sort, cursor)),
    };
    // One extra row tells whether a next page exists, without an empty last page. Plain
    // objects with only the public fields: hydrating 51 mongoose documents to serialise them
    // was most of this route's CPU time (bench/RESULTS.md).
    const rows = await Ticket.find(filter, LIST_PROJECTION).sort(orderOf(sort)).limit(limit + 1).lean();
    const page = rows.slice(0, limit).map((row) => ticketView(row));
    if (rows.length > limit) {
      const last = rows[limit - 1];
      const next = sort === 'newest' ? String(last._id) : `${last.price}_${String(last._id)}`;
      res.set('X-Next-Cursor', next);
      res.set('Link', nextLink(req, limit, next));
    }
    res.send(page);
  });
}
