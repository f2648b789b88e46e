/** Holders of delivered tickets: show their e-ticket code, resell the ticket, withdraw a resale; organizers check codes in. */
import type { PriceInput } from './inputs';
import type { Model, ModelCode } from './model';
import type { RealSystem } from './system';
import { choose, isOutage, show, UserCommand } from './command-support';
import { pendingEdit } from './ticket-commands';

interface HeldTicket {
  id: string;
  title: string;
  price: number;
  status: string;
  userId: string;
  organizerId: string;
  holderId?: string;
}
interface CodeAnswer {
  ticketId: string;
  code: string;
  delivery: number;
}

/** The payload of a code (a compact JWS): ticket id, delivery and holder. Undefined when it is not one. */
export function codePayload(code: string): { tid: string; d: number; h: string } | undefined {
  try {
    return JSON.parse(Buffer.from(code.split('.')[1] ?? '', 'base64url').toString('utf8')) as { tid: string; d: number; h: string };
  } catch {
    return undefined;
  }
}

/** What `user` holds now, as the tickets service answers (undefined on an outage). */
async function held(m: Model, r: RealSystem, user: number): Promise<HeldTicket[] | undefined> {
  const res = await r.call<HeldTicket[]>(m, user, 'GET', '/api/tickets/mine', 'GET /api/tickets/mine');
  if (res.status === 200) {
    const me = r.actors[user].id;
    for (const t of res.body) if (t.holderId !== me || t.status !== 'sold') m.violation(`GET /api/tickets/mine of user ${user} shows ${show(t)}`);
    return res.body;
  }
  if (!isOutage(res.status)) m.violation(`GET /api/tickets/mine answered ${res.status} ${show(res.body)}`);
  return undefined;
}

export class ShowTicketCode extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const t = choose((await held(m, r, this.user)) ?? [], this.pick);
    if (!t) return;
    m.countCommand('show ticket code');
    const res = await r.call<CodeAnswer>(m, this.user, 'GET', `/api/tickets/${t.id}/code`, 'GET /api/tickets/:id/code');
    if (res.status === 200) {
      const p = codePayload(res.body.code);
      if (res.body.ticketId !== t.id || p?.tid !== t.id || p.d !== res.body.delivery || p.h !== r.actors[this.user].id) {
        m.violation(`code of ticket ${t.id} for user ${this.user}: ${show(res.body)} carries ${show(p)}`);
      }
      m.codes.push({ ticketId: t.id, holder: this.user, code: res.body.code, delivery: res.body.delivery });
      return;
    }
    // 400: listed for resale meanwhile; 403: sold on meanwhile.
    if (isOutage(res.status) || res.status === 400 || res.status === 403) return;
    m.violation(`GET /api/tickets/${t.id}/code by its holder answered ${res.status} ${show(res.body)}`);
  }
  toString(): string {
    return `u${this.user}.showTicketCode(#${this.pick})`;
  }
}

export class ResellTicket extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly price: PriceInput,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const t = choose((await held(m, r, this.user)) ?? [], this.pick);
    const known = t && m.ticket(t.id);
    if (!t || !known) return;
    m.countCommand('resell ticket');
    const withdraw = this.price.verdict === 'invalid' ? () => undefined : pendingEdit(known, t.title, this.price.value);
    const res = await r.call<HeldTicket & { version: number }>(m, this.user, 'PUT', `/api/tickets/${t.id}`, 'PUT /api/tickets/:id', {
      title: t.title,
      price: this.price.price,
    });
    if (isOutage(res.status)) return;
    if (res.status === 200) {
      if (this.price.verdict === 'invalid') m.violation(`an invalid resale price ${show(this.price.price)} of ticket ${t.id} was accepted`);
      if (res.body.status !== 'available' || res.body.userId !== r.actors[this.user].id) m.violation(`resale of ticket ${t.id} answered ${show(res.body)}`);
      known.ackedPrice = res.body.price;
      known.ackedVersion = res.body.version;
      m.resold.add(t.id);
      return;
    }
    withdraw();
    // 400: an invalid price, or no longer held; 409: a concurrent change.
    if (res.status === 400 || res.status === 409) return;
    m.violation(`PUT /api/tickets/${t.id} (resale by its holder) answered ${res.status} ${show(res.body)}`);
  }
  toString(): string {
    return `u${this.user}.resellTicket(#${this.pick}, ${show(this.price.price)} [${this.price.verdict}])`;
  }
}

export class WithdrawResale extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const res = await r.call<HeldTicket[]>(m, this.user, 'GET', '/api/tickets/listings', 'GET /api/tickets/listings');
    if (res.status !== 200) {
      if (!isOutage(res.status)) m.violation(`GET /api/tickets/listings answered ${res.status} ${show(res.body)}`);
      return;
    }
    const me = r.actors[this.user].id;
    const t = choose(
      res.body.filter((x) => x.status === 'available' && x.userId === me && x.organizerId !== me),
      this.pick,
    );
    if (!t) return;
    m.countCommand('withdraw resale');
    const out = await r.call<HeldTicket>(m, this.user, 'DELETE', `/api/tickets/${t.id}`, 'DELETE /api/tickets/:id');
    if (out.status === 200) {
      if (out.body.status !== 'sold' || out.body.holderId !== me) m.violation(`withdrawing the resale of ${t.id} answered ${show(out.body)}`);
      return;
    }
    // 400: reserved or sold meanwhile; 409: a concurrent change.
    if (isOutage(out.status) || out.status === 400 || out.status === 409) return;
    m.violation(`DELETE /api/tickets/${t.id} (own resale) answered ${out.status} ${show(out.body)}`);
  }
  toString(): string {
    return `u${this.user}.withdrawResale(#${this.pick})`;
  }
}

/** The organizer scans a code shown to a holder of one of their tickets. */
export class CheckInCode extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const c = choose(
      m.codes.filter((x) => m.ticket(x.ticketId)?.owner === this.user),
      this.pick,
    );
    if (!c) return;
    m.countCommand('check in');
    const res = await checkIn(m, r, this.user, c);
    // 409: already used, or superseded (resold, withdrawn, sold on).
    if (res === 200 || res === 409 || isOutage(res)) return;
    m.violation(`check-in of a code of ticket ${c.ticketId} (delivery ${c.delivery}) by its organizer answered ${res}`);
  }
  toString(): string {
    return `u${this.user}.checkIn(#${this.pick})`;
  }
}

/** POST the code to check-in as `organizer`; an admission is recorded. Returns the status. */
export async function checkIn(m: Model, r: RealSystem, organizer: number, c: ModelCode): Promise<number> {
  const res = await r.call<{ admitted?: boolean; message?: string }>(m, organizer, 'POST', `/api/tickets/${c.ticketId}/checkin`, 'POST /api/tickets/:id/checkin', {
    code: c.code,
  });
  if (res.status === 200) m.admitted.push(c);
  return res.status;
}
