import { BadRequestError, ConflictError, isDuplicateKeyError, NotFoundError, OrderStatus, outboxEntry, Subjects } from '@ticketing/common';
import { Types } from 'mongoose';
import { Order, sequenceKey } from '../models/order';
import { listingState, Ticket } from '../models/ticket';
import { freeBuyerSlot } from './buyer-slot';
import { hasWaiters } from './waitlist/position';
import { highestOrderSeq } from './order-seq';

export interface PlaceOrderInput {
  ticketId: string;
  userId: string;
  /** How long the order holds the ticket before it expires unless paid. */
  windowSeconds: number;
  /** Most unpaid orders a buyer may hold at once; 0 or absent: no cap. */
  maxActivePerBuyer?: number;
  /**
   * A walk-in (the buyer's own POST): refused while others wait in the ticket's line. The
   * waitlist's handover places its orders without it: they are for the first in line.
   */
  respectWaitlist?: boolean;
}

/** Each retry follows a collision with a concurrent insert (sequence number or buyer slot). */
const MAX_ATTEMPTS = 5;

/** Refusals that say something about the ticket, not the buyer (the handover tells them apart). */
export const TicketRefusals = {
  reserved: 'Ticket is already reserved',
  notForSale: 'Ticket is not for sale',
  waitlistFirst: 'Ticket has a waitlist: join it',
} as const;
const refuse = (message: string) => new BadRequestError(message, 'ticketId');

/**
 * Reserves a ticket for a buyer. The reservation is ONE insert whose `reservationKey` is
 * the ticket id: the unique index lets exactly one insert win however many buyers (and
 * orders-service replicas) race; every other one gets a duplicate-key error. The
 * order.created event is recorded in that same insert (outbox).
 *
 * The same insert takes the order's number among its ticket's orders (unique sequenceKey,
 * highest + 1; see the model) and, with a cap, one of the buyer's slots. A collision on
 * either is retried from the top; a collision on the reservation then answers "reserved".
 */
export async function placeOrder({ ticketId, userId, windowSeconds, maxActivePerBuyer = 0, respectWaitlist = false }: PlaceOrderInput) {
  const id = new Types.ObjectId();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Most buyers of a popular ticket arrive after it was taken: answer them with one lookup on
    // the unique index, without loading the ticket, building an order and failing an insert
    // (bench/RESULTS.md). Only a fast path: the insert below still decides every race.
    if (await Order.exists({ reservationKey: ticketId })) throw refuse(TicketRefusals.reserved);
    const ticket = await Ticket.findById(ticketId).lean();
    if (!ticket) throw new NotFoundError('Ticket not found');
    // Sold to a holder who has not listed it again, or withdrawn by its seller.
    if (listingState(ticket) !== 'listed') throw refuse(TicketRefusals.notForSale);
    if (ticket.userId === userId) throw new BadRequestError('You cannot buy your own ticket', 'ticketId');
    if (respectWaitlist && (await hasWaiters(ticketId))) throw refuse(TicketRefusals.waitlistFirst);
    const buyerSlot = await freeBuyerSlot(userId, maxActivePerBuyer);
    // The replica's hint is right unless an insert or its hint update raced this one: then
    // the insert collides and the next attempt reads the exact highest number.
    const orderSeq = (attempt === 1 ? (ticket.lastOrderSeq ?? 0) : await highestOrderSeq(ticketId)) + 1;

    const expiresAt = new Date(Date.now() + windowSeconds * 1000);
    const created = outboxEntry(Subjects.OrderCreated, {
      id: id.toHexString(),
      version: 0,
      status: OrderStatus.Created,
      userId,
      expiresAt: expiresAt.toISOString(),
      ticket: { id: ticketId, price: ticket.price, title: ticket.title, version: ticket.version, orderSeq },
    });
    try {
      const order = await Order.create({
        _id: id,
        userId,
        status: OrderStatus.Created,
        expiresAt,
        ticket: { id: ticketId, title: ticket.title, price: ticket.price },
        version: 0,
        reservationKey: ticketId,
        orderSeq,
        sequenceKey: sequenceKey(ticketId, orderSeq),
        ...(buyerSlot ? { buyerSlot } : {}),
        outbox: [created],
      });
      // Only a hint for the next order: if this write is lost, that order collides once.
      await Ticket.updateOne({ _id: ticket._id }, { $max: { lastOrderSeq: orderSeq } }).catch(() => undefined);
      return order;
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  if (await Order.exists({ reservationKey: ticketId })) throw refuse(TicketRefusals.reserved);
  throw new ConflictError('Too many concurrent orders; try again');
}
