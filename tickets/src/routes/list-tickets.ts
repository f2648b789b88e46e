import { BadRequestError, canonicalObjectId, readPrice, singleLineTextProblem, validateRequest } from '@ticketing/common';
import { Router, type Request } from 'express';
import { query } from 'express-validator';
import { Ticket } from '../models/ticket';
import { ticketView } from '../models/ticket-view';

export const LIST_DEFAULT_LIMIT = 50;
export const LIST_MAX_LIMIT = 200;
export const SORTS = ['newest', 'price-asc', 'price-desc'] as const;
type Sort = (typeof SORTS)[number];
const QUERY_RULE = { maxLength: 100, label: 'q' } as const;

/** Only the fields the catalogue shows (no history, no bookkeeping). */
const LIST_PROJECTION = { title: 1, price: 1, userId: 1, version: 1, state: 1, organizerId: 1, faceValue: 1, resaleCapPercent: 1, holderId: 1 };

/** A price query parameter: a decimal ≥ 0 with at most 2 decimals. */
const priceParam = (name: string) =>
  query(name)
    .optional()
    .custom((v) => typeof v === 'string' && /^\d{1,7}(\.\d{1,2})?$/.test(v))
    .withMessage(`${name} must be a price (e.g. 10 or 12.50)`);

/** A parameter given once (a repeated one is an array). */
const isOneString = (v: unknown) => typeof v === 'string';

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

export const listTicketsRouter = Router();

/**
 * The catalogue: available tickets (listed, not reserved), searched and sorted. `q` is a title
 * substring (case-insensitive, taken literally), `minPrice`/`maxPrice` bound the price,
 * `sort` is newest (default), price-asc or price-desc. Keyset pagination: the next page is
 * `?cursor=<X-Next-Cursor>` with the same other parameters (also in `Link: rel="next"`), only
 * when there is one, so the body stays a plain array; tickets listed meanwhile never shift
 * later pages. `before=<id>` (the older spelling of the newest-first cursor) still works.
 * A bad value is a 400 naming the parameter, never silently ignored or clamped.
 */
listTicketsRouter.get(
  '/api/tickets',
  query('limit')
    .optional()
    .custom((v) => typeof v === 'string' && /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= LIST_MAX_LIMIT)
    .withMessage(`limit must be an integer from 1 to ${LIST_MAX_LIMIT}`),
  query('q')
    .optional()
    .custom((v: unknown) => {
      const problem = typeof v === 'string' ? singleLineTextProblem(v, QUERY_RULE) : 'q must be given once';
      if (problem) throw new Error(problem);
      return true;
    }),
  priceParam('minPrice'),
  priceParam('maxPrice'),
  query('sort')
    .optional()
    .custom((v) => (SORTS as readonly unknown[]).includes(v))
    .withMessage(`sort must be one of ${SORTS.join(', ')}`),
  query('cursor').optional().custom(isOneString).withMessage('cursor must be given once'),
  query('before').optional().custom(isOneString).withMessage('before must be given once'),
  validateRequest,
  async (req, res) => {
    const q = req.query as Record<string, string | undefined>;
    const limit = q.limit === undefined ? LIST_DEFAULT_LIMIT : Number(q.limit);
    const sort = (q.sort ?? 'newest') as Sort;
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
      state: { $in: [null, 'listed'] },
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
  },
);
