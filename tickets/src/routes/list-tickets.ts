import { canonicalIdField, validateRequest } from '@ticketing/common';
import { Router } from 'express';
import { query } from 'express-validator';
import { Ticket } from '../models/ticket';

export const LIST_DEFAULT_LIMIT = 50;
export const LIST_MAX_LIMIT = 200;

export const listTicketsRouter = Router();

/**
 * Available (unreserved) tickets, newest first. Keyset pagination on `_id` descending: the next
 * page is `?before=<last id>`, given in the `X-Next-Cursor` header and a `Link: rel="next"`
 * header (only when there is a next page), so the body stays a plain array. Tickets listed
 * after page 1 was read never shift later pages: no duplicates, no skips. A `limit` outside
 * 1..200 is a 400 rather than silently clamped.
 */
listTicketsRouter.get(
  '/api/tickets',
  query('limit')
    .optional()
    .custom((v) => typeof v === 'string' && /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= LIST_MAX_LIMIT)
    .withMessage(`limit must be an integer from 1 to ${LIST_MAX_LIMIT}`),
  ...canonicalIdField('query', 'before', 'before must be a ticket id (a cursor from X-Next-Cursor)', { optional: true }),
  validateRequest,
  async (req, res) => {
    const limit = req.query.limit === undefined ? LIST_DEFAULT_LIMIT : Number(req.query.limit);
    const before = req.query.before as string | undefined;
    const filter = { orderId: null, ...(before ? { _id: { $lt: before } } : {}) };
    // One extra row tells whether a next page exists, without an empty last page. Plain
    // objects with only the public fields: hydrating 51 mongoose documents to serialise them
    // was most of this route's CPU time (bench/RESULTS.md).
    const rows = await Ticket.find(filter, { outbox: 0, releasedOrderIds: 0 })
      .sort({ _id: -1 })
      .limit(limit + 1)
      .lean();
    const page = rows.slice(0, limit).map(({ _id, ...fields }) => ({ id: String(_id), ...fields }));
    if (rows.length > limit) {
      const cursor = page[page.length - 1].id;
      res.set('X-Next-Cursor', cursor);
      res.set('Link', `</api/tickets?limit=${limit}&before=${cursor}>; rel="next"`);
    }
    res.send(page);
  },
);
