import { verdict, type Verdict } from '../chaos/invariants';
import type { ServiceDatabases } from '../support/databases';

interface EntryDoc {
  _id: unknown;
  ticketId: string;
  userId: string;
  seq: number;
  status: string;
  orderId?: string;
  movedAt?: Date;
}
interface OrderDoc {
  _id: unknown;
  userId: string;
  createdAt: Date;
  ticket: { id: string };
}

/**
 * "A handover goes to the first in line", from the orders database at rest: for every entry
 * offered a ticket, its order is that buyer's order of that ticket, and everyone ahead of it in
 * line (a lower place number: they joined earlier) had left the line — offered, left, skipped or
 * cleared — before that order was placed. Nobody ahead may still be waiting.
 */
export async function handoverVerdicts(dbs: ServiceDatabases): Promise<Verdict[]> {
  const [entries, orders] = await Promise.all([dbs.orders.all<EntryDoc>('waitlistentries'), dbs.orders.all<OrderDoc>('orders')]);
  const orderById = new Map(orders.map((o) => [String(o._id), o]));
  const byTicket = new Map<string, EntryDoc[]>();
  for (const e of entries) byTicket.set(e.ticketId, [...(byTicket.get(e.ticketId) ?? []), e]);

  const wrongOrder: string[] = [];
  const jumped: string[] = [];
  let offered = 0;
  for (const line of byTicket.values()) {
    for (const e of line.filter((x) => x.status === 'offered')) {
      offered++;
      const o = orderById.get(String(e.orderId));
      if (!o || o.userId !== e.userId || o.ticket.id !== e.ticketId) {
        wrongOrder.push(`entry ${String(e._id)} (ticket ${e.ticketId}, user ${e.userId}) offered order ${e.orderId}: ${o ? `of user ${o.userId}, ticket ${o.ticket.id}` : 'missing'}`);
        continue;
      }
      for (const ahead of line.filter((x) => x.seq < e.seq)) {
        if (ahead.status === 'waiting') jumped.push(`ticket ${e.ticketId}: place ${e.seq} was offered (order ${e.orderId}) while place ${ahead.seq} still waits`);
        else if (ahead.movedAt && ahead.movedAt.getTime() > o.createdAt.getTime()) {
          jumped.push(`ticket ${e.ticketId}: place ${e.seq} was offered at ${o.createdAt.toISOString()}, place ${ahead.seq} left the line later (${ahead.status} at ${ahead.movedAt.toISOString()})`);
        }
      }
    }
  }
  return [
    verdict("an offered waitlist entry's order is its buyer's order of its ticket", wrongOrder, `${offered} handovers`),
    verdict('a handover goes to the first in line', jumped, `${entries.length} waitlist entries, ${offered} handovers`),
  ];
}
