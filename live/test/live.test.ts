import { Subjects, type EventData } from '@ticketing/common';
import { parseCursor } from '../src/cursor';
import { eventually, randomObjectId, signin, SseClient } from '@ticketing/dev-servers';
import { useLive } from './support';

const { jet, start } = useLive();
const publish = <S extends Parameters<typeof jet.bus.ownersPublisher.publish>[0]>(subject: S, data: EventData<S>) =>
  jet.bus.ownersPublisher.publish(subject, data);

const ticket = (over: Partial<EventData<'ticket.updated'>> = {}): EventData<'ticket.updated'> => ({
  id: randomObjectId(),
  version: 0,
  title: 'concert',
  price: 20,
  userId: 'seller',
  ...over,
});
const orderCreated = (userId: string, ticketId = randomObjectId()): EventData<'order.created'> =>
  ({ id: randomObjectId(), version: 0, status: 'created', userId, expiresAt: new Date(Date.now() + 60_000).toISOString(), ticket: { id: ticketId, price: 20 } }) as EventData<'order.created'>;

const clients: SseClient[] = [];
const open = async (...args: Parameters<typeof SseClient.open>) => {
  const c = await SseClient.open(...args);
  clients.push(c);
  return c;
};
afterEach(() => clients.splice(0).forEach((c) => c.close()));

/** Connected and caught up: the first id-only frame has arrived. */
const ready = (c: SseClient) => c.waitFor((x) => x.frames.some((f) => f.id !== undefined));

describe('GET /api/live', () => {
  it('streams text/event-stream and hands a ticket event to an anonymous client', async () => {
    const live = await start();
    const anon = await open(live.url);
    expect(anon.status).toBe(200);
    expect(anon.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(anon.headers['cache-control']).toMatch(/no-cache/);
    expect(anon.headers['x-accel-buffering']).toBe('no');
    await ready(anon);
    expect(anon.frames[0].retry).toBe('2000');

    const t = ticket({ orderId: randomObjectId(), version: 3 });
    await publish(Subjects.TicketUpdated, t);
    await anon.waitFor((c) => c.messages('ticket').length > 0);
    expect(anon.messages('ticket')[0]).toEqual({ id: t.id, version: 3, status: 'reserved', title: 'concert', price: 20 });
    expect(parseCursor(anon.lastEventId())).toBeDefined();
    // Sold and withdrawn tickets say so.
    await publish(Subjects.TicketUpdated, { ...t, version: 4, state: 'held', holderId: 'buyer' });
    await publish(Subjects.TicketUpdated, { ...t, version: 5, state: 'delisted', orderId: undefined });
    await anon.waitFor((c) => c.messages('ticket').length === 3);
    expect(anon.messages<{ status: string }>('ticket').map((m) => m.status)).toEqual(['reserved', 'sold', 'delisted']);
  });

  it("a buyer's order, payment and waitlist events reach that buyer only", async () => {
    const live = await start();
    const buyerId = randomObjectId();
    const buyer = await open(live.url, { cookie: signin({ id: buyerId }) });
    const other = await open(live.url, { cookie: signin() });
    const anon = await open(live.url);
    await Promise.all([buyer, other, anon].map(ready));

    const order = orderCreated(buyerId);
    await publish(Subjects.OrderCreated, order);
    // awaiting-payment carries no buyer: live knows it from order.created.
    await publish(Subjects.OrderAwaitingPayment, { id: order.id, version: 1, ticket: { id: order.ticket.id } });
    await publish(Subjects.PaymentCreated, { id: randomObjectId(), orderId: order.id, stripeId: 'pi_1', version: 0, userId: buyerId });
    await publish(Subjects.OrderCompleted, { id: order.id, version: 2, ticket: { id: order.ticket.id }, userId: buyerId });
    const entry = { id: randomObjectId(), version: 0, ticketId: randomObjectId(), userId: buyerId, status: 'waiting' as const, position: 1 };
    await publish(Subjects.WaitlistChanged, entry);
    await buyer.waitFor((c) => c.messages('order').length === 4 && c.messages('waitlist').length === 1);
    expect(buyer.messages('order')).toEqual([
      { id: order.id, event: 'created', version: 0, ticketId: order.ticket.id },
      { id: order.id, event: 'awaiting-payment', version: 1, ticketId: order.ticket.id },
      expect.objectContaining({ id: order.id, event: 'payment-created' }),
      { id: order.id, event: 'completed', version: 2, ticketId: order.ticket.id },
    ]);
    expect(buyer.messages('waitlist')).toEqual([entry]);

    // A public event published after them reaches everyone after them on each connection.
    const marker = ticket();
    await publish(Subjects.TicketCreated, marker);
    for (const c of [other, anon, buyer]) await c.waitFor((x) => x.messages('ticket').some((m) => m.id === marker.id));
    for (const c of [other, anon]) {
      expect(c.messages('order')).toEqual([]);
      expect(c.messages('waitlist')).toEqual([]);
    }
    // Nor does a replay from before them give them away.
    const replay = await open(live.url, { cookie: signin(), lastEventId: other.frames.find((f) => f.id)!.id });
    await replay.waitFor((x) => x.messages('ticket').some((m) => m.id === marker.id));
    expect(replay.messages('order')).toEqual([]);
  });

  it('sends a heartbeat comment when nothing happens', async () => {
    const live = await start({ heartbeatSeconds: 1 });
    const c = await open(live.url);
    await c.waitFor((x) => x.frames.some((f) => f.comment === 'hb'));
  });

  it.each([
    ['the replay buffer', 1000],
    ['the stream (nothing buffered)', 0],
  ])('a reconnect with Last-Event-ID gets exactly what it missed, from %s, then live', async (_from, replayBuffer) => {
    const live = await start({ replayBuffer });
    const userId = randomObjectId();
    const cookie = signin({ id: userId });
    const first = await open(live.url, { cookie });
    await ready(first);
    const seen = ticket();
    await publish(Subjects.TicketCreated, seen);
    await first.waitFor((c) => c.messages('ticket').some((m) => m.id === seen.id));
    const lastEventId = first.lastEventId()!;
    first.close();

    // Missed while away: tickets, an order of the user's, someone else's order.
    const missed = [ticket(), ticket(), ticket()];
    for (const t of missed) await publish(Subjects.TicketCreated, t);
    const mine = orderCreated(userId);
    await publish(Subjects.OrderCreated, mine);
    await publish(Subjects.OrderCreated, orderCreated(randomObjectId()));

    // Reconnect while more events are being published: none lost, none twice.
    const during = Array.from({ length: 20 }, () => ticket());
    const publishing = (async () => {
      for (const t of during) await publish(Subjects.TicketCreated, t);
    })();
    const again = await open(live.url, { cookie, lastEventId });
    await publishing;
    const after = ticket();
    await publish(Subjects.TicketCreated, after);
    await again.waitFor((c) => c.messages('ticket').some((m) => m.id === after.id));
    expect(again.messages<{ id: string }>('ticket').map((m) => m.id)).toEqual([...missed, ...during, after].map((t) => t.id));
    expect(again.messages<{ id: string }>('order').map((m) => m.id)).toEqual([mine.id]);
    // The ids only ever move forward.
    const seqs = again.frames.filter((f) => f.id).map((f) => parseCursor(f.id)!.TICKETS);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('a reconnect too far behind to replay is told to reload (event reset), then goes on live', async () => {
    const live = await start({ maxReplay: 2 });
    const first = await open(live.url);
    await ready(first);
    const lastEventId = first.lastEventId()!;
    first.close();
    for (let i = 0; i < 3; i++) await publish(Subjects.TicketCreated, ticket());
    await eventually(() => live.hub.head.TICKETS >= parseCursor(lastEventId)!.TICKETS + 3);
    const again = await open(live.url, { lastEventId });
    await again.waitFor((c) => c.frames.some((f) => f.event === 'reset'));
    const t = ticket();
    await publish(Subjects.TicketCreated, t);
    await again.waitFor((c) => c.messages('ticket').some((m) => m.id === t.id));
    expect(again.messages('ticket')).toHaveLength(1);
  });

  it('an id it does not know counts as none: live from now', async () => {
    const live = await start();
    const c = await open(live.url, { lastEventId: 'garbage' });
    await ready(c);
    const t = ticket();
    await publish(Subjects.TicketCreated, t);
    await c.waitFor((x) => x.messages('ticket').some((m) => m.id === t.id));
  });
});
