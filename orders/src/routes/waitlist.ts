import { canonicalIdField, canonicalIdParam, canonicalParam, NotFoundError, requireAuth, validateRequest } from '@ticketing/common';
import { Router } from 'express';
import { Ticket } from '../models/ticket';
import { WaitlistEntry } from '../models/waitlist-entry';
import { joinWaitlist } from '../domain/waitlist/join';
import { leaveWaitlist } from '../domain/waitlist/leave';
import { positionOf, waitlistLength } from '../domain/waitlist/position';

/** How many of a buyer's entries GET /api/orders/waitlist shows (newest first). */
const MY_ENTRIES_LIMIT = 50;

const ticketIdParam = canonicalIdParam('Ticket not found', 'ticketId');

/**
 * The waitlist of reserved tickets, under /api/orders so that the edge routes it here. Mounted
 * before the order routes: `/api/orders/waitlist` is not an order id.
 */
export const waitlistRouter = Router();

/** POST: get in line for a reserved ticket. 201 joined; 200 already in line (same answer). */
waitlistRouter.post(
  '/api/orders/waitlist',
  requireAuth,
  ...canonicalIdField('body', 'ticketId', 'ticketId must be a valid ticket id'),
  validateRequest,
  async (req, res) => {
    const { joined, ...place } = await joinWaitlist((req.body as { ticketId: string }).ticketId, req.currentUser!.id);
    res.status(joined ? 201 : 200).send(place);
  },
);

/** GET: my entries, newest first, each with the ticket's title (as I joined it) and my place while waiting. */
waitlistRouter.get('/api/orders/waitlist', requireAuth, async (req, res) => {
  const entries = await WaitlistEntry.find({ userId: req.currentUser!.id }, { outbox: 0 })
    .sort({ joinedAt: -1, _id: -1 })
    .limit(MY_ENTRIES_LIMIT)
    .lean();
  res.send(
    await Promise.all(
      entries.map(async (e) => ({
        id: String(e._id),
        ticketId: e.ticketId,
        title: e.seen.title,
        status: e.status,
        ...(e.status === 'waiting' ? { position: await positionOf(e.ticketId, e.seq) } : {}),
        ...(e.orderId ? { orderId: e.orderId } : {}),
        ...(e.reason ? { reason: e.reason } : {}),
        joinedAt: e.joinedAt,
      })),
    ),
  );
});

/** GET one ticket's line: its length for anyone; with a session, my latest entry's status and place. */
waitlistRouter.get('/api/orders/waitlist/:ticketId', ticketIdParam, async (req, res) => {
  const ticketId = canonicalParam(req, 'ticketId');
  if (!(await Ticket.exists({ _id: ticketId }))) throw new NotFoundError('Ticket not found');
  const length = await waitlistLength(ticketId);
  const mine = req.currentUser
    ? await WaitlistEntry.findOne({ ticketId, userId: req.currentUser.id }, { outbox: 0 }).sort({ seq: -1 }).lean()
    : null;
  res.send({
    ticketId,
    length,
    ...(mine
      ? {
          status: mine.status,
          ...(mine.status === 'waiting' ? { position: await positionOf(ticketId, mine.seq) } : {}),
          ...(mine.orderId ? { orderId: mine.orderId } : {}),
          ...(mine.reason ? { reason: mine.reason } : {}),
        }
      : {}),
  });
});

/** DELETE: leave the line. 404 when not waiting (also: already offered the ticket). */
waitlistRouter.delete('/api/orders/waitlist/:ticketId', requireAuth, ticketIdParam, async (req, res) => {
  await leaveWaitlist(canonicalParam(req, 'ticketId'), req.currentUser!.id);
  res.status(204).send();
});
