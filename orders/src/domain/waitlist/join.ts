import { BadRequestError, ConflictError, isDuplicateKeyError, NotFoundError, outboxEntry, Subjects, UNPAID_ORDER_STATUSES } from '@ticketing/common';
import { Types } from 'mongoose';
import { Order } from '../../models/order';
import { listingState, Ticket } from '../../models/ticket';
import { activeKey, queueKey, WaitlistEntry } from '../../models/waitlist-entry';
import { hasWaiters, positionOf, waitlistLength } from './position';

/**
 * Each retry follows a concurrent join that took the same place in line. Every round one of
 * the racing joins wins, so N buyers joining at once need at most N rounds.
 */
const MAX_ATTEMPTS = 100;

const refuse = (message: string) => new BadRequestError(message, 'ticketId');

export interface JoinResult {
  ticketId: string;
  status: 'waiting';
  position: number;
  length: number;
  /** False when the buyer was in line already (nothing changed). */
  joined: boolean;
}

/**
 * Puts the buyer in line for a reserved ticket (or one just released whose line has not been
 * served yet). ONE insert, with its order.waitlist-changed event: its queueKey takes the next
 * place (highest + 1, a collision renumbers) and its activeKey keeps the buyer in line once —
 * a repeated join answers with the place they have.
 */
export async function joinWaitlist(ticketId: string, userId: string): Promise<JoinResult> {
  const ticket = await Ticket.findById(ticketId, { title: 1, price: 1, userId: 1, state: 1 }).lean();
  if (!ticket) throw new NotFoundError('Ticket not found');
  if (listingState(ticket) !== 'listed') throw refuse('Ticket is not for sale');
  if (ticket.userId === userId) throw refuse('You cannot wait for your own ticket');
  const holder = await Order.findOne({ reservationKey: ticketId }, { userId: 1, status: 1 }).lean();
  if (holder && !UNPAID_ORDER_STATUSES.includes(holder.status)) throw refuse('Ticket is not for sale');
  if (holder?.userId === userId) throw refuse('You hold this ticket already: pay for your order');
  if (!holder && !(await hasWaiters(ticketId))) throw refuse('Ticket is available: order it instead');

  const key = activeKey(ticketId, userId);
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const mine = await WaitlistEntry.findOne({ activeKey: key }, { seq: 1 }).lean();
    if (mine) return answer(ticketId, mine.seq, false);

    const last = await WaitlistEntry.findOne({ ticketId }, { seq: 1 }).sort({ seq: -1 }).lean();
    const seq = (last?.seq ?? 0) + 1;
    const id = new Types.ObjectId();
    // Those waiting now are all ahead: a later join takes a higher number.
    const position = (await waitlistLength(ticketId)) + 1;
    const event = outboxEntry(Subjects.WaitlistChanged, { id: id.toHexString(), version: 0, ticketId, userId, status: 'waiting', position });
    try {
      await WaitlistEntry.create({
        _id: id,
        ticketId,
        userId,
        seq,
        queueKey: queueKey(ticketId, seq),
        status: 'waiting',
        activeKey: key,
        seen: { title: ticket.title, price: ticket.price },
        version: 0,
        joinedAt: new Date(),
        outbox: [event],
      });
      return answer(ticketId, seq, true);
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
    }
  }
  const mine = await WaitlistEntry.findOne({ activeKey: key }, { seq: 1 }).lean();
  if (mine) return answer(ticketId, mine.seq, false);
  throw new ConflictError('Too many buyers are joining this waitlist at once; try again');
}

async function answer(ticketId: string, seq: number, joined: boolean): Promise<JoinResult> {
  const [position, length] = await Promise.all([positionOf(ticketId, seq), waitlistLength(ticketId)]);
  return { ticketId, status: 'waiting', position, length, joined };
}
