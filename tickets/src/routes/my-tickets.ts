import { requireAuth } from '@ticketing/common';
import { Router } from 'express';
import { Ticket } from '../models/ticket';
import { ticketView } from '../models/ticket-view';

/** At most this many rows per answer: one person's tickets, not a catalogue. */
export const MY_TICKETS_MAX = 500;

export const myTicketsRouter = Router();

/**
 * `GET /api/tickets/mine`: the tickets delivered to me that I hold now (their codes are at
 * `/api/tickets/:id/code`), newest first, each with `checkedIn`.
 * `GET /api/tickets/listings`: the tickets I sell or sold — I am the seller now, or the seller
 * of one of its sales — with `status` and `sales` (only the sales I made).
 * Both must be mounted before `/api/tickets/:id`.
 */
myTicketsRouter.get('/api/tickets/mine', requireAuth, async (req, res) => {
  const rows = await Ticket.find({ holderId: req.currentUser!.id, state: 'held' }, { outbox: 0, sales: 0 }).sort({ _id: -1 }).limit(MY_TICKETS_MAX).lean();
  res.send(rows.map((row) => ticketView(row)));
});

myTicketsRouter.get('/api/tickets/listings', requireAuth, async (req, res) => {
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
