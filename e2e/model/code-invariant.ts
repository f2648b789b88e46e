import { verdict, type Verdict } from '../chaos/invariants';
import type { Model, ModelCode } from './model';
import type { RealSystem } from './system';

const key = (c: ModelCode) => `${c.ticketId}/${c.delivery}`;

/**
 * "A ticket has at most one valid code" and "a delivery admits once", at rest, after the run:
 * no delivery of a ticket was admitted twice during the run, and now every code a holder was
 * shown is scanned again by the ticket's organizer: codes of at most one delivery of each ticket
 * still count (admitted, or "already used"), and it is the newest delivery shown; every other
 * one answers "superseded".
 */
export async function codeVerdicts(m: Model, r: RealSystem): Promise<Verdict[]> {
  const twice = new Map<string, number>();
  for (const c of m.admitted) twice.set(key(c), (twice.get(key(c)) ?? 0) + 1);
  const admittedTwice = [...twice].filter(([, n]) => n > 1).map(([k, n]) => `delivery ${k} admitted ${n} times`);

  const byTicket = new Map<string, ModelCode[]>();
  for (const c of m.codes) byTicket.set(c.ticketId, [...(byTicket.get(c.ticketId) ?? []), c]);
  const problems: string[] = [];
  for (const [ticketId, codes] of byTicket) {
    const organizer = m.ticket(ticketId)?.owner;
    if (organizer === undefined) continue;
    const valid = new Set<number>();
    for (const c of codes) {
      const res = await r.call<{ errors?: { message: string }[] }>(m, organizer, 'POST', `/api/tickets/${ticketId}/checkin`, 'POST /api/tickets/:id/checkin', { code: c.code });
      const message = res.body?.errors?.[0]?.message ?? '';
      if (res.status === 200) m.admitted.push(c);
      if (res.status === 200 || (res.status === 409 && /already used/i.test(message))) valid.add(c.delivery);
      else if (!(res.status === 409 && /superseded/i.test(message))) problems.push(`ticket ${ticketId}: a code of delivery ${c.delivery} answered ${res.status} ${message}`);
    }
    const newest = Math.max(...codes.map((c) => c.delivery));
    if (valid.size > 1) problems.push(`ticket ${ticketId}: codes of deliveries ${[...valid].join(', ')} are all valid`);
    else if (valid.size === 1 && !valid.has(newest)) problems.push(`ticket ${ticketId}: delivery ${[...valid][0]} is valid, but delivery ${newest} was shown since`);
  }
  return [
    verdict('a delivery admits once', admittedTwice, `${m.admitted.length} admissions`),
    verdict('a ticket has at most one valid code', problems, `${m.codes.length} codes shown for ${byTicket.size} tickets, ${m.resold.size} tickets resold`),
  ];
}
