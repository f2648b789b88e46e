import { durableName, type EventData } from '@ticketing/common';
import { eventually, randomObjectId, useServiceTestEnv } from '@ticketing/dev-servers';
import { Ticket } from '../src/models/ticket';
import { ordersTestOptions } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, ordersTestOptions('orders_replica'));

type TicketEvent = EventData<'ticket.created'>;
const ticketEvent = (id: string, version: number, over: Partial<TicketEvent> = {}): TicketEvent => ({
  id,
  version,
  title: `title v${version}`,
  price: 10 + version,
  userId: 'seller-1',
  ...over,
});

/** The orders consumer of `subject` has handled (acked) everything stored so far. */
async function caughtUp(subject: 'ticket.created' | 'ticket.updated'): Promise<boolean> {
  const info = await env.bus.jsm.consumers.info('TICKETS', durableName('orders', subject));
  return info.num_pending === 0 && info.num_ack_pending === 0;
}

const replica = (id: string) => Ticket.findById(id).lean();

describe('ticket replica (ticket.created / ticket.updated from JetStream)', () => {
  it('ticket.created adds the ticket at its version', async () => {
    const id = randomObjectId();
    await env.publisher.publish('ticket.created', ticketEvent(id, 0, { title: 'Concert', price: 25 }));
    const t = await eventually(() => replica(id));
    expect(t).toMatchObject({ title: 'Concert', price: 25, userId: 'seller-1', version: 0 });
  });

  it('a redelivered ticket.created changes nothing, even after updates were applied', async () => {
    const id = randomObjectId();
    await env.publisher.publish('ticket.created', ticketEvent(id, 0));
    await env.publisher.publish('ticket.updated', ticketEvent(id, 1, { title: 'renamed' }));
    await eventually(async () => (await replica(id))?.version === 1);

    // A second copy under another message id, so JetStream's dedupe does not hide it.
    await env.publisher.publish('ticket.created', ticketEvent(id, 0), `again-${id}`);
    await eventually(() => caughtUp('ticket.created'));
    expect(await replica(id)).toMatchObject({ title: 'renamed', version: 1 });
  });

  it('applies the next version; an old or repeated version is acked without change', async () => {
    const id = randomObjectId();
    await env.publisher.publish('ticket.created', ticketEvent(id, 0));
    await env.publisher.publish('ticket.updated', ticketEvent(id, 1));
    await env.publisher.publish('ticket.updated', ticketEvent(id, 2, { price: 99 }));
    await eventually(async () => (await replica(id))?.version === 2);

    await env.publisher.publish('ticket.updated', ticketEvent(id, 1, { price: 1 }), `stale-${id}`);
    await env.publisher.publish('ticket.updated', ticketEvent(id, 2, { price: 2 }), `repeat-${id}`);
    await eventually(() => caughtUp('ticket.updated'));
    expect(await replica(id)).toMatchObject({ version: 2, price: 99 });
  });

  it('out of order (1, then 3 before 2): ends at version 3 with version 3’s data', async () => {
    const id = randomObjectId();
    await env.publisher.publish('ticket.created', ticketEvent(id, 0));
    await env.publisher.publish('ticket.updated', ticketEvent(id, 1));
    await eventually(async () => (await replica(id))?.version === 1);

    await env.publisher.publish('ticket.updated', ticketEvent(id, 3, { title: 'final', price: 300 }));
    // Version 3 must wait: it is retried while version 2 is missing, and not applied meanwhile.
    await eventually(() => env.logs.some((l) => l.subject === 'ticket.updated' && String((l.err as { message?: string })?.message).includes(`ticket ${id} is at version 1`)));
    expect(await replica(id)).toMatchObject({ version: 1 });

    await env.publisher.publish('ticket.updated', ticketEvent(id, 2, { title: 'middle', price: 200 }));
    await eventually(async () => (await replica(id))?.version === 3);
    expect(await replica(id)).toMatchObject({ version: 3, title: 'final', price: 300 });
    await eventually(() => caughtUp('ticket.updated'));
  });

  it('an update for a ticket not yet known waits for ticket.created', async () => {
    const id = randomObjectId();
    await env.publisher.publish('ticket.updated', ticketEvent(id, 1, { title: 'updated' }));
    await eventually(() => env.logs.some((l) => String((l.err as { message?: string })?.message).includes(`ticket ${id} is not in the replica yet`)));
    expect(await replica(id)).toBeNull();

    await env.publisher.publish('ticket.created', ticketEvent(id, 0));
    await eventually(async () => (await replica(id))?.version === 1);
    expect(await replica(id)).toMatchObject({ title: 'updated', version: 1 });
  });
});
