import { BadRequestError, ConflictError, defineRoute, ForbiddenError, mountRoute, NotFoundError, pushOutbox, Subjects } from '@ticketing/common';
import { ticketSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { rememberReleased } from '../events/listeners/order-sequence';
import { Ticket, ticketEvent } from '../models/ticket';
import { isResale, stateOf } from '../domain/listing';
import { resaleLimitMessage, resalePriceLimit } from '../domain/resale-cap';
import type { TicketRules } from '../domain/rules';
import { ticketBody, ticketIdParams } from './ticket-body';

const RESERVED = 'Cannot edit a reserved ticket';

type Stored = NonNullable<Awaited<ReturnType<typeof readTicket>>>;
const readTicket = (id: string) => Ticket.findById(id).lean();

/**
 * `PUT /api/tickets/:id {title, price}`, by who may change the listing:
 * - the seller of an available ticket edits it;
 * - the holder of a delivered (held) ticket lists it again (a resale): same title, price within
 *   the cap; the seller becomes them, their code is superseded (codes are valid only while held);
 * - the organizer of a delisted ticket lists it again.
 * A resale listing (seller ≠ organizer) keeps the organizer's title and the price cap.
 * Optimistic concurrency: ONE write conditional on the version read, recording ticket.updated
 * in the same write; a concurrent change makes it miss, and the caller gets 409 (or 400 if the
 * ticket got reserved meanwhile) instead of a lost update.
 */
export const updateTicketRoute = defineRoute({
  method: 'put',
  path: '/api/tickets/:id',
  summary: 'Edit your listing, resell a ticket you hold, or relist your delisted ticket',
  description:
    'The seller of an available ticket edits it. The holder of a sold (delivered) ticket lists it again: the same title ' +
    '(else 400 field title), a price within the resale cap (else 400 field price "Resale price may not exceed $X"); ' +
    'their code is superseded and the ticket is available with them as seller. The organizer of a delisted ticket ' +
    'lists it again. Optimistic concurrency: a concurrent change makes this a 409; reload and retry. Unknown fields ' +
    '(resaleCapPercent included) are ignored.',
  access: 'signed-in',
  request: { params: ticketIdParams, body: ticketBody },
  responses: {
    200: { description: 'The edited ticket (version + 1; unchanged when nothing changes); ticket.updated is published', body: ticketSchema },
    400: { description: 'Invalid title or price, the ticket is reserved or sold by you, or a resale above the cap or with another title' },
    403: { description: 'Not your ticket' },
    404: { description: 'No such ticket' },
    409: { description: 'The ticket was modified concurrently' },
  },
});

export function updateTicketRouter(rules: TicketRules) {
  return mountRoute(Router(), updateTicketRoute, async (req, res) => {
    const { title, price } = updateTicketRoute.body(req);
    const me = req.currentUser!.id;
    const read = await readTicket(updateTicketRoute.params(req).id);
    if (!read) throw new NotFoundError('Ticket not found');
    const state = stateOf(read);

    if (state === 'held') {
      if (read.holderId !== me) throw read.userId === me ? new BadRequestError('Cannot edit a sold ticket') : new ForbiddenError('You do not own this ticket');
      checkResaleTerms(read, { title, price }, rules);
      // The sale's order is done with this ticket: remember its number so a late copy of its
      // order.created never reserves the ticket again.
      const update = {
        $set: { state: 'listed' as const, userId: me, title, price },
        $unset: { orderId: 1, orderSeq: 1, checkedInAt: 1 },
        ...rememberReleased(read.orderSeq ?? undefined),
      };
      res.send(await writeOrExplain(read, update, { ...read, state: 'listed', userId: me, title, price, orderId: undefined }));
      return;
    }

    if (read.userId !== me) throw new ForbiddenError('You do not own this ticket');
    if (state === 'delisted') {
      res.send(await writeOrExplain(read, { $set: { state: 'listed' as const, title, price } }, { ...read, state: 'listed', title, price }));
      return;
    }
    if (read.orderId) throw new BadRequestError(RESERVED);
    if (isResale(read)) checkResaleTerms(read, { title, price }, rules);
    if (read.title === title && read.price === price) {
      // Nothing changes: no new version, no event.
      res.send(Ticket.hydrate(read));
      return;
    }
    res.send(await writeOrExplain(read, { $set: { title, price } }, { ...read, title, price }));
  });
}

/** A resale keeps the organizer's title and stays within the price cap; else a 400 naming the field. */
function checkResaleTerms(read: Stored, body: { title: string; price: number }, rules: TicketRules) {
  if (body.title !== read.title) throw new BadRequestError('Only the organizer can change the title', 'title');
  const limit = resalePriceLimit(read, rules.resaleCapPercent);
  if (limit !== undefined && body.price > limit) throw new BadRequestError(resaleLimitMessage(limit), 'price');
}

/** The change as one write conditional on the version read (+1, ticket.updated recorded); a miss says why. */
async function writeOrExplain(read: Stored, update: Record<string, unknown>, next: Stored & Record<string, unknown>) {
  const updated = await Ticket.findOneAndUpdate(
    { _id: read._id, version: read.version },
    { ...update, $inc: { version: 1 }, ...pushOutbox(ticketEvent(Subjects.TicketUpdated, { ...next, version: read.version + 1 })) },
    // The route checked the body by the same rules; the model's validators agree (no 500).
    { returnDocument: 'after', runValidators: true },
  );
  if (updated) return updated;
  const now = await Ticket.findById(read._id).lean();
  if (!now) throw new NotFoundError('Ticket not found');
  if (stateOf(now) === 'listed' && now.orderId) throw new BadRequestError(RESERVED);
  throw new ConflictError('Ticket was modified concurrently; reload and retry');
}
