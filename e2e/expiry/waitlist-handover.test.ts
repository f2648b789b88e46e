import { OrderCancelReason, OrderStatus } from '@ticketing/common';
import { eventually, randomObjectId, signin, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { cancelOrder } from '../../orders/src/domain/cancel-order';
import { expirySweeper } from '../../orders/src/domain/expiry-sweeper';
import { Order } from '../../orders/src/models/order';
import { Ticket } from '../../orders/src/models/ticket';
import { WaitlistEntry } from '../../orders/src/models/waitlist-entry';
import { offerReleasedTicket } from '../../orders/src/domain/waitlist/handover';
import { waitlistSweeper } from '../../orders/src/domain/waitlist/sweeper';
import { useExpirationWorker } from './expiration-worker';
import { ordersTestOptions, outboxDrained, seedTicket } from '../../orders/test/support';
import { buyer, joinWaitlist, placeOrder, waitlistEvents } from '../../orders/test/waitlist-support';
import { ordersService } from '../../orders/src/service';
import { placeOrder as placeOrderDirectly } from '../../orders/src/domain/place-order';

const worker = useExpirationWorker();
const sweepers: ReturnType<typeof waitlistSweeper>[] = [];
// Declared before the orders env so that the sweepers stop first (hooks run in order).
afterAll(async () => {
  await Promise.all(sweepers.map((s) => s.stop()));
});
/** The handover's order rules: a long window (an offered order does not lapse by itself here), a cap of 1. */
const POLICY = { windowSeconds: 600, maxActivePerBuyer: 1 };
const env = useServiceTestEnv(
  ordersService,
  ordersTestOptions('orders_waitlist_handover', { EXPIRATION_WINDOW_SECONDS: String(POLICY.windowSeconds), ORDERS_MAX_ACTIVE_PER_BUYER: String(POLICY.maxActivePerBuyer) }),
);
worker.startWith(env);
/** Walk-ins hold their ticket for 2 s: long enough to line up behind them, short enough to expire. */
const app = env.app({ env: { EXPIRATION_WINDOW_SECONDS: '2', ORDERS_MAX_ACTIVE_PER_BUYER: String(POLICY.maxActivePerBuyer) } });
/** The same rules as the handover's (a cancel's handover runs by the app's rules). */
const longApp = env.app({ env: { EXPIRATION_WINDOW_SECONDS: String(POLICY.windowSeconds), ORDERS_MAX_ACTIVE_PER_BUYER: String(POLICY.maxActivePerBuyer) } });
const ctx = () => ({ ...POLICY, logger: env.bus.logger });

/** A ticket held by a walk-in (window 10 min unless `expiring`) and `n` buyers in line, in order. */
async function lineUp(n: number, { expiring = false } = {}) {
  const ticket = await seedTicket();
  const holder = buyer();
  const held = (await placeOrder(expiring ? app : longApp, holder.cookie, ticket.id).expect(201)).body as { id: string };
  const waiters = [];
  for (let i = 0; i < n; i++) {
    const w = buyer();
    await joinWaitlist(longApp, w.cookie, ticket.id).expect(201);
    waiters.push(w);
  }
  return { ticket, holder, held, waiters };
}

/** The orders of `ticketId` that hold it now (not cancelled). */
const holding = (ticketId: string) => Order.find({ 'ticket.id': ticketId, status: { $ne: OrderStatus.Cancelled } }).lean();
const entryOf = (ticketId: string, userId: string) => WaitlistEntry.findOne({ ticketId, userId }).sort({ seq: -1 }).lean();

describe('a released ticket goes to the first in line', () => {
  it('the holder cancels: the first waiter has an order (normal window) when the DELETE answers; the others keep waiting', async () => {
    const { ticket, holder, held, waiters } = await lineUp(3);
    const before = Date.now();
    await request(longApp).delete(`/api/orders/${held.id}`).set('Cookie', holder.cookie).expect(204);

    const orders = await holding(ticket.id);
    expect(orders.map((o) => o.userId)).toEqual([waiters[0].id]);
    expect(orders[0]).toMatchObject({ status: 'created', orderSeq: 2 });
    expect(+orders[0].expiresAt).toBeGreaterThanOrEqual(before + POLICY.windowSeconds * 1000);
    const offered = await entryOf(ticket.id, waiters[0].id);
    expect(offered).toMatchObject({ status: 'offered', orderId: String(orders[0]._id), version: 1 });
    expect(offered).not.toHaveProperty('offeringKey');

    // What the first waiter reads: offered, with the order to pay; the second is now first.
    const mine = await request(longApp).get(`/api/orders/waitlist/${ticket.id}`).set('Cookie', waiters[0].cookie).expect(200);
    expect(mine.body).toEqual({ ticketId: ticket.id, length: 2, status: 'offered', orderId: String(orders[0]._id) });
    const second = await request(longApp).get(`/api/orders/waitlist/${ticket.id}`).set('Cookie', waiters[1].cookie).expect(200);
    expect(second.body).toMatchObject({ status: 'waiting', position: 1 });
    const myOrders = await request(longApp).get('/api/orders').set('Cookie', waiters[0].cookie).expect(200);
    expect(myOrders.body.map((o: { id: string }) => o.id)).toEqual([String(orders[0]._id)]);

    await eventually(outboxDrained);
    const event = await eventually(async () => (await waitlistEvents(env.bus.jsm, ticket.id)).find((e) => e.data.status === 'offered'));
    expect(event.data).toEqual({ id: String(offered!._id), version: 1, ticketId: ticket.id, userId: waiters[0].id, status: 'offered', orderId: String(orders[0]._id) });
  });

  it('the hold expires (expiration.complete): the first waiter gets the ticket', async () => {
    const { ticket, held, waiters } = await lineUp(2);
    await env.publisher.publish('expiration.complete', { orderId: held.id });
    const offered = await eventually(async () => ((await entryOf(ticket.id, waiters[0].id))?.status === 'offered' ? entryOf(ticket.id, waiters[0].id) : undefined));
    expect((await holding(ticket.id)).map((o) => [String(o._id), o.userId])).toEqual([[offered.orderId, waiters[0].id]]);
    expect(await entryOf(ticket.id, waiters[1].id)).toMatchObject({ status: 'waiting' });
  });

  it('50 waiters, the hold expires (expiration worker), two replicas sweeping meanwhile: exactly one new order, to the first in line', async () => {
    const ticket = await seedTicket();
    const holder = buyer();
    // Everyone lines up at once behind an order that expires in 2 s.
    const held = (await placeOrder(app, holder.cookie, ticket.id).expect(201)).body as { id: string };
    const waiters = Array.from({ length: 50 }, () => buyer());
    const joined = await Promise.all(waiters.map((w) => joinWaitlist(longApp, w.cookie, ticket.id)));
    expect(joined.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    const first = (await WaitlistEntry.findOne({ ticketId: ticket.id }).sort({ seq: 1 }).lean())!;
    expect(first.seq).toBe(1);

    // Two replicas' sweeps hand over concurrently with the expiry listener's own handover.
    for (let i = 0; i < 2; i++) sweepers.push(waitlistSweeper({ ...ctx(), intervalSeconds: 0.05 }));
    sweepers.forEach((s) => s.start());
    await eventually(async () => (await Order.findById(held.id).lean())?.status === OrderStatus.Cancelled, { timeoutMs: 60_000 });
    await eventually(async () => (await holding(ticket.id)).length === 1, { timeoutMs: 30_000 });
    // Let the sweeps run a while longer: nothing more happens.
    await Promise.all(sweepers.map((s) => s.sweep()));
    await Promise.all(sweepers.splice(0).map((s) => s.stop()));

    const orders = await holding(ticket.id);
    expect(orders.map((o) => o.userId)).toEqual([first.userId]);
    expect(await Order.countDocuments({ 'ticket.id': ticket.id })).toBe(2); // the expired one and the offered one
    const entries = await WaitlistEntry.find({ ticketId: ticket.id }).lean();
    expect(entries.filter((e) => e.status === 'offered').map((e) => [e.userId, e.orderId])).toEqual([[first.userId, String(orders[0]._id)]]);
    expect(entries.filter((e) => e.status === 'waiting')).toHaveLength(49);
    expect(await WaitlistEntry.countDocuments({ offeringKey: { $exists: true } })).toBe(0);
    await eventually(outboxDrained);
    const offeredEvents = (await waitlistEvents(env.bus.jsm, ticket.id)).filter((e) => e.data.status === 'offered');
    expect(offeredEvents.map((e) => e.data.userId)).toEqual([first.userId]);
  });

  it('ten handovers of one released ticket at once (replicas): exactly one offers it, to the first in line', async () => {
    const { ticket, held, waiters } = await lineUp(5);
    expect(await cancelOrder(held.id, OrderCancelReason.Buyer)).toBe('cancelled'); // released, no handover yet
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => offerReleasedTicket(ticket.id, ctx())));
    expect(outcomes.filter((o) => o === 'offered')).toHaveLength(1);
    expect(outcomes.every((o) => o === 'offered' || o === 'busy' || o === 'held')).toBe(true);
    expect((await holding(ticket.id)).map((o) => o.userId)).toEqual([waiters[0].id]);
    expect(await WaitlistEntry.countDocuments({ ticketId: ticket.id, status: 'waiting' })).toBe(4);
  });

  it('a waiter at their order cap is skipped (with the reason); the next one gets the ticket', async () => {
    const { ticket, holder, held, waiters } = await lineUp(2);
    // The first waiter holds another unpaid order: the handover's cap (1) is reached.
    await placeOrder(longApp, waiters[0].cookie, (await seedTicket()).id).expect(201);
    await request(longApp).delete(`/api/orders/${held.id}`).set('Cookie', holder.cookie).expect(204);

    expect((await holding(ticket.id)).map((o) => o.userId)).toEqual([waiters[1].id]);
    const skipped = await entryOf(ticket.id, waiters[0].id);
    expect(skipped).toMatchObject({ status: 'skipped', reason: 'You already have 1 unpaid orders, the most allowed at once: pay for or cancel one first' });
    const event = await eventually(async () => (await waitlistEvents(env.bus.jsm, ticket.id)).find((e) => e.data.status === 'skipped'));
    expect(event.data).toMatchObject({ userId: waiters[0].id, version: 1, reason: skipped!.reason });
  });

  it('a waiter who sells the ticket now (its seller in the replica) is skipped: "You cannot buy your own ticket"', async () => {
    const { ticket, holder, held, waiters } = await lineUp(2);
    await Ticket.updateOne({ _id: ticket.id }, { $set: { userId: waiters[0].id } });
    await request(longApp).delete(`/api/orders/${held.id}`).set('Cookie', holder.cookie).expect(204);
    expect(await entryOf(ticket.id, waiters[0].id)).toMatchObject({ status: 'skipped', reason: 'You cannot buy your own ticket' });
    expect((await holding(ticket.id)).map((o) => o.userId)).toEqual([waiters[1].id]);
  });

  it('the expiry sweep (a lost expiry timer) releases the hold: the first waiter gets the ticket', async () => {
    const { ticket, held, waiters } = await lineUp(1);
    await Order.updateOne({ _id: held.id }, { $set: { expiresAt: new Date(Date.now() - 60_000) } });
    expect(await expirySweeper({ logger: env.bus.logger, intervalSeconds: 0, graceSeconds: 1, handover: POLICY }).sweep()).toBe(1);
    expect((await holding(ticket.id)).map((o) => o.userId)).toEqual([waiters[0].id]);
    expect(await entryOf(ticket.id, waiters[0].id)).toMatchObject({ status: 'offered' });
  });

  it('the offered buyer does not pay (their order expires): the next waiter gets it', async () => {
    const { ticket, holder, held, waiters } = await lineUp(2);
    await request(longApp).delete(`/api/orders/${held.id}`).set('Cookie', holder.cookie).expect(204);
    const offered = (await entryOf(ticket.id, waiters[0].id))!;
    expect(offered.status).toBe('offered');

    await env.publisher.publish('expiration.complete', { orderId: offered.orderId! });
    const next = await eventually(async () => ((await entryOf(ticket.id, waiters[1].id))?.status === 'offered' ? entryOf(ticket.id, waiters[1].id) : undefined));
    expect((await holding(ticket.id)).map((o) => [String(o._id), o.userId])).toEqual([[next.orderId, waiters[1].id]]);
    expect(await Order.findById(offered.orderId).lean()).toMatchObject({ status: 'cancelled', cancelReason: 'expired' });
  });

  it('an order cancelled because the seller changed the ticket empties the line instead (reason given)', async () => {
    const { ticket, held, waiters } = await lineUp(2);
    await env.publisher.publish('ticket.reservation-refused', { ticketId: ticket.id, orderId: held.id, reason: 'ticket-changed', version: 1 });
    await eventually(async () => (await WaitlistEntry.countDocuments({ ticketId: ticket.id, status: 'cleared' })) === 2);
    for (const w of waiters) expect(await entryOf(ticket.id, w.id)).toMatchObject({ status: 'cleared', reason: 'The seller changed this ticket' });
    expect(await holding(ticket.id)).toEqual([]);
  });
});

describe('a handover that crashed between its claim and its order', () => {
  /** The first waiter's entry as a crashed handover left it: claimed a minute ago. */
  const crashedClaim = (ticketId: string, userId: string, agoMs = 60_000) =>
    WaitlistEntry.updateOne({ ticketId, userId, status: 'waiting' }, { $set: { offeringKey: ticketId, offeringSince: new Date(Date.now() - agoMs) } });

  it('before the order: the sweep finds the stale claim and places the order for that buyer', async () => {
    const { ticket, held, waiters } = await lineUp(2);
    expect(await cancelOrder(held.id, OrderCancelReason.Buyer)).toBe('cancelled');
    await crashedClaim(ticket.id, waiters[0].id);

    expect(await waitlistSweeper({ ...ctx(), intervalSeconds: 0 }).sweep()).toBe(1);
    expect((await holding(ticket.id)).map((o) => o.userId)).toEqual([waiters[0].id]);
    expect(await entryOf(ticket.id, waiters[0].id)).toMatchObject({ status: 'offered' });
    expect(await entryOf(ticket.id, waiters[1].id)).toMatchObject({ status: 'waiting' });
  });

  it('after the order: the sweep links the order the buyer already has, placing no second one', async () => {
    const { ticket, held, waiters } = await lineUp(2);
    expect(await cancelOrder(held.id, OrderCancelReason.Buyer)).toBe('cancelled');
    await crashedClaim(ticket.id, waiters[0].id);
    // The order was placed, then the process died before the entry said so.
    const placed = await placeOrderDirectly({ ticketId: ticket.id, userId: waiters[0].id, windowSeconds: 600 });

    expect(await waitlistSweeper({ ...ctx(), intervalSeconds: 0 }).sweep()).toBe(1);
    expect((await holding(ticket.id)).map((o) => String(o._id))).toEqual([String(placed._id)]);
    expect(await entryOf(ticket.id, waiters[0].id)).toMatchObject({ status: 'offered', orderId: String(placed._id) });
  });

  it('a fresh claim is a handover in progress elsewhere: another call stops ("busy")', async () => {
    const { ticket, held, waiters } = await lineUp(1);
    expect(await cancelOrder(held.id, OrderCancelReason.Buyer)).toBe('cancelled');
    await crashedClaim(ticket.id, waiters[0].id, 0);
    expect(await offerReleasedTicket(ticket.id, ctx())).toBe('busy');
    expect(await holding(ticket.id)).toEqual([]);
  });
});

describe('the seller changes the ticket, withdraws it, or it is sold', () => {
  it('ticket.updated with a new price: every waiting entry is cleared, with the reason, each with its event', async () => {
    const { ticket, waiters } = await lineUp(2);
    await env.publisher.publish('ticket.updated', { id: ticket.id, version: 1, title: ticket.title, price: 99, userId: ticket.userId });
    await eventually(async () => (await WaitlistEntry.countDocuments({ ticketId: ticket.id, status: 'cleared' })) === 2);
    for (const w of waiters) expect(await entryOf(ticket.id, w.id)).toMatchObject({ status: 'cleared', reason: 'The seller changed this ticket', version: 1 });
    await eventually(outboxDrained);
    const cleared = await eventually(async () => {
      const events = (await waitlistEvents(env.bus.jsm, ticket.id)).filter((e) => e.data.status === 'cleared');
      return events.length === 2 ? events : undefined;
    });
    expect(cleared.map((e) => e.data.reason)).toEqual(['The seller changed this ticket', 'The seller changed this ticket']);
  });

  it('ticket.updated delisting it: cleared, "The seller withdrew this ticket"', async () => {
    const { ticket, waiters } = await lineUp(1);
    await env.publisher.publish('ticket.updated', { id: ticket.id, version: 1, title: ticket.title, price: ticket.price, userId: ticket.userId, state: 'delisted' });
    await eventually(async () => (await entryOf(ticket.id, waiters[0].id))?.status === 'cleared');
    expect(await entryOf(ticket.id, waiters[0].id)).toMatchObject({ reason: 'The seller withdrew this ticket' });
  });

  it('a reservation refused as not for sale (the ticket was sold meanwhile): cleared, "The ticket was sold"', async () => {
    const { ticket, held, waiters } = await lineUp(1);
    await Ticket.updateOne({ _id: ticket.id }, { $set: { state: 'held' } });
    await env.publisher.publish('ticket.reservation-refused', { ticketId: ticket.id, orderId: held.id, reason: 'not-for-sale', version: 1 });
    await eventually(async () => (await entryOf(ticket.id, waiters[0].id))?.status === 'cleared');
    expect(await entryOf(ticket.id, waiters[0].id)).toMatchObject({ reason: 'The ticket was sold' });
    expect(await holding(ticket.id)).toEqual([]);
  });

  it('a ticket.updated that only reserves it (same title and price) leaves the line alone', async () => {
    const { ticket, held, waiters } = await lineUp(1);
    await env.publisher.publish('ticket.updated', { id: ticket.id, version: 1, title: ticket.title, price: ticket.price, userId: ticket.userId, orderId: held.id });
    await eventually(async () => (await Order.findById(held.id).lean())?.status === OrderStatus.AwaitingPayment);
    expect(await entryOf(ticket.id, waiters[0].id)).toMatchObject({ status: 'waiting' });
  });

  it('the holder pays: the line is cleared, "The ticket was sold"', async () => {
    const { ticket, held, waiters } = await lineUp(2);
    await env.publisher.publish('payment.created', { id: randomObjectId(), orderId: held.id, stripeId: `pi_${randomObjectId()}`, version: 0 });
    await eventually(async () => (await WaitlistEntry.countDocuments({ ticketId: ticket.id, status: 'cleared' })) === 2);
    expect(await entryOf(ticket.id, waiters[1].id)).toMatchObject({ reason: 'The ticket was sold' });
    expect((await placeOrder(longApp, signin(), ticket.id).expect(400)).body.errors[0].message).toBe('Ticket is already reserved');
  });
});
