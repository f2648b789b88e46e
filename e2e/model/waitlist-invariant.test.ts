import type { ServiceDatabases } from '../support/databases';
import { handoverVerdicts } from './waitlist-invariant';

/** The orders database holding `entries` and `orders` (the invariant reads only these). */
const ordersDb = (entries: object[], orders: object[]) =>
  ({ orders: { name: 'orders', all: async (c: string) => (c === 'waitlistentries' ? entries : c === 'orders' ? orders : []) } }) as unknown as ServiceDatabases;

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const order = { _id: 'o1', userId: 'u2', createdAt: at(10), ticket: { id: 't1' } };
const offered = { _id: 'e2', ticketId: 't1', userId: 'u2', seq: 2, status: 'offered', orderId: 'o1', movedAt: at(10) };
const ok = async (entries: object[], orders: object[] = [order]) => (await handoverVerdicts(ordersDb(entries, orders))).map((v) => [v.name, v.ok]);

describe('the model test\'s waitlist invariant (it must be able to fail)', () => {
  it('holds when everyone ahead left the line before the order was placed', async () => {
    expect(await ok([{ _id: 'e1', ticketId: 't1', userId: 'u1', seq: 1, status: 'left', movedAt: at(5) }, offered])).toEqual([
      ["an offered waitlist entry's order is its buyer's order of its ticket", true],
      ['a handover goes to the first in line', true],
    ]);
  });

  it('fails when someone ahead still waits, or left the line only after the order was placed', async () => {
    expect((await ok([{ _id: 'e1', ticketId: 't1', userId: 'u1', seq: 1, status: 'waiting' }, offered]))[1]).toEqual(['a handover goes to the first in line', false]);
    expect((await ok([{ _id: 'e1', ticketId: 't1', userId: 'u1', seq: 1, status: 'left', movedAt: at(11) }, offered]))[1]).toEqual(['a handover goes to the first in line', false]);
  });

  it("fails when the offered order is missing or another buyer's", async () => {
    expect((await ok([offered], []))[0][1]).toBe(false);
    expect((await ok([offered], [{ ...order, userId: 'u9' }]))[0][1]).toBe(false);
  });
});
