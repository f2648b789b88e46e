import { JSONCodec } from 'nats';
import { readStream, sleep, storedEvents, useTestJetStream } from '../src';

const jet = useTestJetStream();
const codec = JSONCodec();

describe('readStream', () => {
  it('reads a stream back in order, by subject (wildcards too) and from a start time, with each message id', async () => {
    const { js, jsm } = jet.bus;
    await js.publish('ticket.created', codec.encode({ n: 1 }), { msgID: 'first' });
    await js.publish('ticket.updated', codec.encode({ n: 2 }));
    await sleep(50); // store times are the server's clock: leave a gap before the start time
    const since = Date.now();
    await sleep(50);
    await js.publish('ticket.created', codec.encode({ n: 3 }), { msgID: 'third' });
    await js.publish('ticket.updated', new TextEncoder().encode('not json'));

    const all = await readStream(jsm, 'TICKETS');
    expect(all.map((m) => [m.subject, m.data, m.msgId])).toEqual([
      ['ticket.created', { n: 1 }, 'first'],
      ['ticket.updated', { n: 2 }, undefined],
      ['ticket.created', { n: 3 }, 'third'],
      ['ticket.updated', undefined, undefined],
    ]);
    expect(all[3].raw).toBe('not json');
    expect(all.map((m) => m.seq)).toEqual([...all.map((m) => m.seq)].sort((a, b) => a - b));
    expect((await readStream(jsm, 'TICKETS', { subject: 'ticket.created' })).map((m) => m.data)).toEqual([{ n: 1 }, { n: 3 }]);
    expect((await readStream(jsm, 'TICKETS', { subject: 'ticket.*', sinceMs: since })).map((m) => m.raw)).toEqual(['{"n":3}', 'not json']);
    const late = await readStream(jsm, 'TICKETS', { sinceMs: since });
    expect(late.every((m) => m.time >= since)).toBe(true);
    // The ephemeral consumers it made are gone.
    const consumers = [];
    for await (const c of jsm.consumers.list('TICKETS')) consumers.push(c.name);
    expect(consumers).toEqual([]);
  });

  it('storedEvents reads the same way, with the message id', async () => {
    const events = await storedEvents<{ n: number }>(jet.bus.jsm, 'ticket.created');
    expect(events.map((e) => [e.data.n, e.msgId])).toEqual([
      [1, 'first'],
      [3, 'third'],
    ]);
  });

  it('reads an empty stream as no messages', async () => {
    expect(await readStream(jet.bus.jsm, 'PAYMENTS')).toEqual([]);
  });
});
