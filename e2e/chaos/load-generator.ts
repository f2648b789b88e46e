import { sleep } from '@ticketing/dev-servers';
import { Actor, type CallResult } from '../support/actor';
import type { PaymentAnswer } from '@ticketing/client/lib/api/types';
import type { Rng } from '../support/rng';
import type { AckedOrder, AckedTicket, AcknowledgedWrites } from './invariants';

/** What the load generator knows about a ticket it listed. */
export interface ListedTicket extends AckedTicket {
  seller: Actor;
  editsSentAt: number[];
  busy: boolean;
  /** A payment for an order of it was acknowledged: sold, not worth buying again. */
  sold: boolean;
  listedAt: number;
}

/** An order the orders service acknowledged (201). */
export interface PlacedOrder extends AckedOrder {
  buyer: Actor;
}

export interface LoadOptions {
  base: string;
  rng: Rng;
  durationMs: number;
  maxRequests: number;
  workers: number;
  /** The stack's EXPIRATION_WINDOW_SECONDS. */
  windowSeconds: number;
  password: string;
}

type Fate = 'payNow' | 'payLate' | 'declineThenVisa' | 'cancel' | 'expire' | 'cancelWhilePaying';

/**
 * A bounded mixed load on the gateway (loopback only): sign-ups, listings, price edits, many
 * buyers on a few "hot" tickets, payments (mostly tok_visa, some declines), cancellations
 * and orders left to expire. Stops at `durationMs` or `maxRequests`, whichever comes first.
 * Records every answer per route and status, and every acknowledged write, so the final
 * state can be checked against what clients were told.
 */
export class LoadGenerator implements AcknowledgedWrites {
  readonly counts = new Map<string, Map<string, number>>();
  requests = 0;
  readonly sellers: Actor[] = [];
  readonly buyers: Actor[] = [];
  readonly tickets: ListedTicket[] = [];
  readonly orders = new Map<string, PlacedOrder>();
  /** Payment id → order id, for every 201 or 202 `authorized` of POST /api/payments. */
  readonly payments = new Map<string, string>();
  /** Payment id → order id, for every 201 `captured`. */
  readonly capturedPayments = new Map<string, string>();
  /** Orders whose DELETE was answered 204. */
  readonly cancelled = new Set<string>();
  /** Orders where a DELETE and a payment were sent at the same moment on purpose. */
  readonly provokedRaces = new Set<string>();
  private deadline = 0;
  private titleCounter = 0;

  constructor(private readonly opts: LoadOptions) {}

  private get rng(): Rng {
    return this.opts.rng;
  }

  private get running(): boolean {
    return Date.now() < this.deadline && this.requests < this.opts.maxRequests;
  }

  private count(route: string, res: CallResult): void {
    const status = res.status === 0 ? 'no answer' : String(res.status);
    const byStatus = this.counts.get(route) ?? new Map<string, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.counts.set(route, byStatus);
  }

  private async call<T>(actor: Actor, method: string, path: string, route: string, body?: unknown): Promise<CallResult<T>> {
    this.requests++;
    const res = await actor.call<T>(method, path, body, 10_000);
    this.count(route, res);
    return res;
  }

  private newActor(): Actor {
    return new Actor(this.opts.base, this.opts.password);
  }

  private async signup(pool: Actor[]): Promise<void> {
    const actor = this.newActor();
    const res = await this.call(actor, 'POST', '/api/users/signup', 'POST /api/users/signup', {
      email: actor.email,
      password: actor.password,
    });
    if (res.status === 201) {
      actor.id = (res.body as { id: string }).id;
      pool.push(actor);
    }
  }

  /** Runs the load until the duration or the request budget is used up. */
  async run(): Promise<void> {
    this.deadline = Date.now() + this.opts.durationMs;
    // A first crowd, signed up before anything else (retried through outages, within the budget).
    const want = { sellers: 6, buyers: 14 };
    while ((this.sellers.length < want.sellers || this.buyers.length < want.buyers) && this.running) {
      await Promise.all([
        this.sellers.length < want.sellers ? this.signup(this.sellers) : undefined,
        this.buyers.length < want.buyers ? this.signup(this.buyers) : undefined,
        this.buyers.length < want.buyers - 1 ? this.signup(this.buyers) : undefined,
      ]);
    }
    await Promise.all(Array.from({ length: this.opts.workers }, () => this.worker()));
  }

  private async worker(): Promise<void> {
    while (this.running) {
      const action = this.rng.weighted({
        browse: 16,
        view: 6,
        sell: 10,
        reprice: 10,
        buy: 38,
        myOrders: 8,
        newUser: 2,
        currentUser: 4,
      });
      await this[action]();
      await sleep(this.rng.int(0, 40));
    }
  }

  private anyone(): Actor {
    return this.rng.chance(0.3) ? this.rng.pick(this.sellers) : this.rng.pick(this.buyers);
  }

  private async browse(): Promise<void> {
    await this.call(this.anyone(), 'GET', '/api/tickets?limit=20', 'GET /api/tickets');
  }

  private async view(): Promise<void> {
    if (!this.tickets.length) return this.browse();
    const t = this.rng.pick(this.tickets);
    await this.call(this.anyone(), 'GET', `/api/tickets/${t.id}`, 'GET /api/tickets/:id');
  }

  private async currentUser(): Promise<void> {
    await this.call(this.anyone(), 'GET', '/api/users/currentuser', 'GET /api/users/currentuser');
  }

  private async newUser(): Promise<void> {
    await this.signup(this.rng.chance(0.3) ? this.sellers : this.buyers);
  }

  private price(): number {
    return this.rng.int(100, 50_000) / 100;
  }

  private async sell(): Promise<void> {
    const seller = this.rng.pick(this.sellers);
    const price = this.price();
    const res = await this.call<{ id: string; price: number; version: number }>(seller, 'POST', '/api/tickets', 'POST /api/tickets', {
      title: `Chaos show ${++this.titleCounter}`,
      price,
    });
    if (res.status === 201) {
      this.tickets.push({ id: res.body.id, seller, ackedPrice: res.body.price, ackedVersion: res.body.version, unsureLaterPrices: [], editsSentAt: [], busy: false, sold: false, listedAt: Date.now() });
    }
  }

  private async reprice(): Promise<void> {
    const mine = this.tickets.filter((t) => !t.busy && !t.sold);
    if (!mine.length) return this.sell();
    const t = this.rng.pick(mine);
    t.busy = true; // edits of one ticket are sequential, so "the last acknowledged price" is well defined
    try {
      const price = this.price();
      const sentAt = Date.now();
      const res = await this.call<{ price: number; version: number }>(t.seller, 'PUT', `/api/tickets/${t.id}`, 'PUT /api/tickets/:id', {
        title: `Chaos show (edited ${this.rng.int(1, 99)})`,
        price,
      });
      if (res.status === 200) {
        t.ackedPrice = res.body.price;
        t.ackedVersion = res.body.version;
        t.unsureLaterPrices = [];
        t.editsSentAt.push(sentAt);
      } else if (res.status === 0 || res.status >= 500) {
        t.unsureLaterPrices.push(price);
        t.editsSentAt.push(sentAt);
      }
    } finally {
      t.busy = false;
    }
  }

  private async myOrders(): Promise<void> {
    const buyer = this.rng.pick(this.buyers);
    const own = [...this.orders.values()].filter((o) => o.buyer === buyer);
    if (own.length && this.rng.chance(0.5)) {
      await this.call(buyer, 'GET', `/api/orders/${this.rng.pick(own).id}`, 'GET /api/orders/:id');
    } else {
      await this.call(buyer, 'GET', '/api/orders', 'GET /api/orders');
    }
  }

  /**
   * Mostly one of the few newest unsold tickets, so many buyers compete for each. Tickets
   * listed less than a second ago are left alone: the orders service hears of them by event.
   */
  private ticketToBuy(): ListedTicket | undefined {
    const unsold = this.tickets.filter((t) => !t.sold && Date.now() - t.listedAt > 1_000);
    if (!unsold.length) return undefined;
    return this.rng.chance(0.7) ? this.rng.pick(unsold.slice(-4)) : this.rng.pick(unsold);
  }

  private async buy(): Promise<void> {
    const ticket = this.ticketToBuy();
    if (!ticket) return this.sell();
    const buyer = this.rng.pick(this.buyers);
    const res = await this.call<{ id: string; expiresAt: string }>(buyer, 'POST', '/api/orders', 'POST /api/orders', { ticketId: ticket.id });
    if (res.status !== 201) return;
    const order: PlacedOrder = { id: res.body.id, ticketId: ticket.id, buyer, expiresAt: new Date(res.body.expiresAt).getTime() };
    this.orders.set(order.id, order);
    const fate = this.rng.weighted<Fate>({ payNow: 48, payLate: 14, declineThenVisa: 8, cancel: 14, expire: 13, cancelWhilePaying: 3 });
    const windowMs = this.opts.windowSeconds * 1000;
    switch (fate) {
      case 'payNow':
        await sleep(this.rng.int(0, 400));
        await this.pay(order, ticket, 'tok_visa');
        break;
      case 'payLate': {
        // Pay somewhere in the last part of the window, sometimes just before it runs out.
        const at = order.expiresAt - this.rng.int(0, Math.floor(windowMs * 0.4));
        await sleep(Math.max(0, at - Date.now()));
        await this.pay(order, ticket, 'tok_visa');
        break;
      }
      case 'declineThenVisa':
        if ((await this.pay(order, ticket, 'tok_chargeDeclined')) === 'declined' && this.rng.chance(0.6)) {
          await this.pay(order, ticket, 'tok_visa');
        }
        break;
      case 'cancel':
        await sleep(this.rng.int(0, 800));
        await this.cancel(order);
        break;
      case 'cancelWhilePaying':
        // A buyer who clicks "cancel" and "pay" at once: the documented refund case may follow.
        this.provokedRaces.add(order.id);
        await sleep(this.rng.int(200, 800));
        await Promise.all([this.cancel(order), this.pay(order, ticket, 'tok_visa')]);
        break;
      case 'expire':
        break;
    }
    if (this.rng.chance(0.3)) await this.call(buyer, 'GET', `/api/orders/${order.id}`, 'GET /api/orders/:id');
  }

  private async cancel(order: PlacedOrder): Promise<void> {
    order.deleteSentAt ??= Date.now();
    const res = await this.call(order.buyer, 'DELETE', `/api/orders/${order.id}`, 'DELETE /api/orders/:id');
    if (res.status === 204) this.cancelled.add(order.id);
  }

  /**
   * Pays, retrying while the payments service has not heard of the order yet (404) or the
   * request got no answer (the same attempt's idempotency key makes a retry safe).
   */
  private async pay(order: PlacedOrder, ticket: ListedTicket, token: string): Promise<'paid' | 'declined' | 'refused' | 'gave-up'> {
    for (let attempt = 0; attempt < 12 && Date.now() < order.expiresAt + 500; attempt++) {
      const sentAt = Date.now();
      // Whatever the answer, this request may have been authorised: its time explains a released hold.
      order.paidRequestAt = sentAt;
      const res = await this.call<PaymentAnswer>(order.buyer, 'POST', '/api/payments', 'POST /api/payments', { orderId: order.id, token });
      if (res.status === 201 || (res.status === 202 && res.body.status === 'authorized')) {
        // 201: captured, the order is complete; 202: authorised, the order decides (it may still expire).
        this.payments.set(res.body.id, order.id);
        if (res.status === 201) this.capturedPayments.set(res.body.id, order.id);
        ticket.sold = true;
        return 'paid';
      }
      if (res.status === 402) return 'declined';
      if (res.status === 400 || res.status === 403) return 'refused';
      await sleep(250);
    }
    return 'gave-up';
  }

  /** `[route, status, count]` rows, sorted. */
  countRows(): [string, string, number][] {
    const rows: [string, string, number][] = [];
    for (const [route, byStatus] of this.counts) for (const [status, n] of byStatus) rows.push([route, status, n]);
    return rows.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]));
  }
}
