import { BadRequestError, NotFoundError, OrderStatus, outboxEntry, Subjects } from '@ticketing/common';
import { Types } from 'mongoose';
import { Order } from '../models/order';
import { Ticket } from '../models/ticket';

export interface PlaceOrderInput {
  ticketId: string;
  userId: string;
  /** How long the order holds the ticket before it expires unless paid. */
  windowSeconds: number;
}

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000;

/**
 * Reserves a ticket for a buyer. The reservation is ONE insert whose `reservationKey` is
 * the ticket id: the unique index lets exactly one insert win however many buyers (and
 * orders-service replicas) race; every other one gets a duplicate-key error. The
 * order.created event is recorded in that same insert (outbox).
 */
export async function placeOrder({ ticketId, userId, windowSeconds }: PlaceOrderInput) {
  // Most buyers of a popular ticket arrive after it was taken: answer them with one lookup on
  // the unique index, without loading the ticket, building an order and failing an insert
  // (bench/RESULTS.md). Only a fast path: the insert below still decides every race.
  if (await Order.exists({ reservationKey: ticketId })) throw new BadRequestError('Ticket is already reserved', 'ticketId');
  const ticket = await Ticket.findById(ticketId).lean();
  if (!ticket) throw new NotFoundError('Ticket not found');
  if (ticket.userId === userId) throw new BadRequestError('You cannot buy your own ticket', 'ticketId');

  const id = new Types.ObjectId();
  const expiresAt = new Date(Date.now() + windowSeconds * 1000);
  const created = outboxEntry(Subjects.OrderCreated, {
    id: id.toHexString(),
    version: 0,
    status: OrderStatus.Created,
    userId,
    expiresAt: expiresAt.toISOString(),
    ticket: { id: ticketId, price: ticket.price },
  });
  try {
    return await Order.create({
      _id: id,
      userId,
      status: OrderStatus.Created,
      expiresAt,
      ticket: { id: ticketId, title: ticket.title, price: ticket.price },
      version: 0,
      reservationKey: ticketId,
      outbox: [created],
    });
  } catch (err) {
    if (isDuplicateKey(err)) throw new BadRequestError('Ticket is already reserved', 'ticketId');
    throw err;
  }
}
