import { defineRoute, mountRoute } from '@ticketing/common';
import { ticketListingSchema, ticketSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { z } from 'zod';
import { Ticket } from '../models/ticket';
import { ticketView } from '../models/ticket-view';

/** At most this many rows per answer: one person's tickets, not a catalogue. */
export const MY_TICKETS_MAX = 500;

export const myTicketsRoute = defineRoute({
  method: 'get',
  path: '/api/tickets/mine',
  summary: 'Tickets delivered to you that you hold (status sold, with checkedIn), newest first',
  access: 'signed-in',
  responses: { 200: { description: `Your tickets (at most ${MY_TICKETS_MAX})`, body: z.array(ticketSchema) } },
});

export const myListingsRoute = defineRoute({
  method: 'get',
  path: '/api/tickets/listings',
  summary: 'Tickets you sell or sold, with status and your sales',
  description: 'A ticket you sold whose buyer now resells it shows status sold.',
  access: 'signed-in',
  responses: { 200: { description: `Your listings (at most ${MY_TICKETS_MAX})`, body: z.array(ticketListingSchema) } },
});

/**
 * `GET /api/tickets/mine`: the tickets delivered to me that I hold now (their codes are at
 * `/api/tickets/:id/code`), newest first, each with `checkedIn`.
 * `GET /api/tickets/listings`: the tickets I sell or sold — I am the seller now, or the seller
 * of one of its sales — with `status` and `sales` (only the sales I made).
 * Both must be mounted before `/api/tickets/:id`.
 */
export function myTicketsRouter(): Router {
  const router = Router();
  mountRoute(router, myTicketsRoute, async (req, res) => {
    const rows = await Ticket.find({ holderId: req.currentUser!.id, state: 'held' }, { outbox: 0, sales: 0 }).sort({ _id: -1 }).limit(MY_TICKETS_MAX).lean();
    res.send(rows.map((row) => ticketView(row)));
  });
  return mountRoute(router, myListingsRoute, async (req, res) => {
    const me = req.currentUser!.id;
    const rows = await Ticket.find({ $or: [{ userId: me }, { 'sales.sellerId': me }] }, { outbox: 0 }).sort({ _id: -1 }).limit(MY_TICKETS_MAX).lean();
    res.send(
      rows.map((row) => {
        const mine = (row.sales ?? []).filter((sale) => sale.sellerId === me).map(({ orderId, buyerId, price, at }) => ({ orderId, buyerId, price, at }));
        // A ticket I sold that its buyer now sells again is no longer my listing: show it as sold.
        const view = ticketView(row);
        return row.userId === me ? { ...view, sales: mine } : { ...view, status: 'sold', sales: mine };
      }),
    );
  });
}
