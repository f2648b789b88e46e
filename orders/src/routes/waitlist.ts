import { defineRoute, idParams, mountRoute, NotFoundError, objectIdField } from '@ticketing/common';
import { waitlistEntrySchema, waitlistLineSchema, waitlistPlaceSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { z } from 'zod';
import { Ticket } from '../models/ticket';
import { WaitlistEntry } from '../models/waitlist-entry';
import { joinWaitlist } from '../domain/waitlist/join';
import { leaveWaitlist } from '../domain/waitlist/leave';
import { positionOf, waitlistLength } from '../domain/waitlist/position';

/** How many of a buyer's entries GET /api/orders/waitlist shows (newest first). */
const MY_ENTRIES_LIMIT = 50;

const ticketIdParams = idParams('Ticket not found', 'Ticket id: 24 hex characters in any case; anything else is a 404', 'ticketId');

export const joinWaitlistRoute = defineRoute({
  method: 'post',
  path: '/api/orders/waitlist',
  summary: 'Join the waitlist of a reserved ticket (idempotent)',
  access: 'signed-in',
  request: { body: z.object({ ticketId: objectIdField('ticketId must be a valid ticket id', 'Ticket id, any case') }) },
  responses: {
    201: { description: 'In line', body: waitlistPlaceSchema },
    200: { description: 'Already in line: your place, unchanged', body: waitlistPlaceSchema },
    400: {
      description:
        'Invalid ticketId; "Ticket is available: order it instead"; "Ticket is not for sale" (sold, withdrawn); ' +
        '"You cannot wait for your own ticket"; "You hold this ticket already: pay for your order"',
    },
    404: { description: 'Unknown ticket' },
    409: { description: 'Too many buyers joined at once; try again' },
  },
});

export const myWaitlistRoute = defineRoute({
  method: 'get',
  path: '/api/orders/waitlist',
  summary: `Your waitlist entries, newest first (at most ${MY_ENTRIES_LIMIT})`,
  access: 'signed-in',
  responses: { 200: { description: 'Entries', body: z.array(waitlistEntrySchema) } },
});

export const waitlistLineRoute = defineRoute({
  method: 'get',
  path: '/api/orders/waitlist/:ticketId',
  summary: "A ticket's waitlist: its length for anyone; your status and place with a session",
  access: 'optional-session',
  request: { params: ticketIdParams },
  responses: { 200: { description: 'The line', body: waitlistLineSchema }, 404: { description: 'Unknown ticket' } },
});

export const leaveWaitlistRoute = defineRoute({
  method: 'delete',
  path: '/api/orders/waitlist/:ticketId',
  summary: 'Leave the waitlist',
  access: 'signed-in',
  request: { params: ticketIdParams },
  responses: {
    204: { description: 'Left' },
    404: { description: 'You are not waiting for this ticket (also: it was offered to you already)' },
  },
});

/**
 * The waitlist of reserved tickets, under /api/orders so that the edge routes it here. Mounted
 * before the order routes: `/api/orders/waitlist` is not an order id.
 */
export function waitlistRouter(): Router {
  const router = Router();

  /** POST: get in line for a reserved ticket. 201 joined; 200 already in line (same answer). */
  mountRoute(router, joinWaitlistRoute, async (req, res) => {
    const { joined, ...place } = await joinWaitlist(joinWaitlistRoute.body(req).ticketId, req.currentUser!.id);
    res.status(joined ? 201 : 200).send(place);
  });

  /** GET: my entries, newest first, each with the ticket's title (as I joined it) and my place while waiting. */
  mountRoute(router, myWaitlistRoute, async (req, res) => {
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
  mountRoute(router, waitlistLineRoute, async (req, res) => {
    const { ticketId } = waitlistLineRoute.params(req);
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
  return mountRoute(router, leaveWaitlistRoute, async (req, res) => {
    await leaveWaitlist(leaveWaitlistRoute.params(req).ticketId, req.currentUser!.id);
    res.status(204).send();
  });
}
