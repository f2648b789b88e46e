import { BadRequestError, ConflictError, NotFoundError, OrderStatus, outboxEntry, Subjects } from '@ticketing/common';
import { Types } from 'mongoose';
import { Order, sequenceKey } from '../models/order';
import { listingState, Ticket } from '../models/ticket';
import { freeBuyerSlot } from './buyer-slot';
import { highestOrderSeq } from './order-seq';

export interface PlaceOrderInput {
  ticketId: string;
  userId: string;
  /** How long the order holds the ticket before it expires unless paid. */
  windowSeconds: number;
  /** Most unpaid orders a buyer may hold at once; 0 or absent: no cap. */
  maxActivePerBuyer?: number;
}

/** Each retry follows a collision with a concurrent insert (sequence number or buyer slot). */
const MAX_ATTEMPTS = 5;

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;
const reserved = () => new BadRequestError('Ticket is already reserved', 'ticketId');
export const notForSale = () => new BadRequestError('Ticket is not for sale', 'ticketId');

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
export async function placeOrder({ ticketId, userId, windowSeconds, maxActivePerBuyer = 0 }: PlaceOrderInput) {
  const id = new Types.ObjectId();
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    // Most buyers of a popular ticket arrive after it was taken: answer them with one lookup on
    // the unique index, without loading the ticket, building an order and failing an insert
    // (bench/RESULTS.md). Only a fast path: the insert below still decides every race.
    if (await Order.exists({ reservationKey: ticketId })) throw reserved();
    const ticket = await Ticket.findById(ticketId).lean();
    if (!ticket) throw new NotFoundError('Ticket not found');
    // Sold to a holder who has not listed it again, or withdrawn by its seller.
    if (listingState(ticket) !== 'listed') throw notForSale();
    if (ticket.userId === userId) throw new BadRequestError('You cannot buy your own ticket', 'ticketId');
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
      if (!isDuplicateKey(err)) throw err;
    }
  }
  if (await Order.exists({ reservationKey: ticketId })) throw reserved();
  throw new ConflictError('Too many concurrent orders; try again');
}
