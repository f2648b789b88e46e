import { randomObjectId, storedEvents, type ServiceTestEnv, type ServiceTestEnvOptions, type StoredEvent } from '@ticketing/dev-servers';
import { Order } from '../src/models/order';
import { Ticket } from '../src/models/ticket';
import { WaitlistEntry } from '../src/models/waitlist-entry';

/**
 * useServiceTestEnv(ordersService, …) options for these tests: no buyer cap and no rate limit
 * unless a test sets them (ORDERS_MAX_ACTIVE_PER_BUYER, RATE_LIMIT_ORDERS_PER_MIN), and the
 * event side's logs kept in `logs`.
 */
export function ordersTestOptions(database: string | false, env: Record<string, string> = {}): ServiceTestEnvOptions<object> {
  return { database, env: { ORDERS_MAX_ACTIVE_PER_BUYER: '0', RATE_LIMIT_ORDERS_PER_MIN: '0', ...env }, captureLogs: true };
}

/** A ticket in the orders service's replica, owned by someone else unless `userId` says so. */
export async function seedTicket(over: { id?: string; title?: string; price?: number; userId?: string; version?: number } = {}) {
  const ticket = await Ticket.create({
    _id: over.id ?? randomObjectId(),
    title: over.title ?? 'Concert',
    price: over.price ?? 20,
    userId: over.userId ?? randomObjectId(),
    version: over.version ?? 0,
  });
  return { id: String(ticket._id), title: ticket.title, price: ticket.price, userId: ticket.userId };
}

type OrderEventData = { id: string; version: number; ticket: { id: string } };

/** Events stored on JetStream under `subject` about order `orderId`. */
export async function orderEvents(env: Pick<ServiceTestEnv<unknown, object>, 'bus'>, subject: string, orderId: string): Promise<StoredEvent<OrderEventData>[]> {
  return (await storedEvents<OrderEventData>(env.bus.jsm, subject)).filter((e) => e.data.id === orderId);
}

/** Every outbox entry has been published (and cleared). */
export async function outboxDrained(): Promise<boolean> {
  const pending = { 'outbox.0': { $exists: true } };
  return (await Order.countDocuments(pending)) + (await WaitlistEntry.countDocuments(pending)) === 0;
}
