/** Sellers: list, create and edit tickets. */
import { bodyVerdict, CANONICAL_ID, spellParam, type IdSpelling, type PriceInput, type TitleInput } from './inputs';
import type { Model, ModelTicket } from './model';
import type { RealSystem } from './system';
import { choose, is4xx, isOutage, show, UserCommand, type TicketBody } from './command-support';

export class ListTickets extends UserCommand {
  async run(m: Model, r: RealSystem): Promise<void> {
    m.countCommand('list tickets');
    const res = await r.call<TicketBody[]>(m, this.user, 'GET', '/api/tickets?limit=200', 'GET /api/tickets');
    if (res.status !== 200) {
      if (!isOutage(res.status)) m.violation(`GET /api/tickets answered ${res.status}`);
      return;
    }
    for (const t of res.body) {
      if (!CANONICAL_ID.test(t.id)) m.violation(`listing shows a non-canonical ticket id ${show(t.id)}`);
      const known = m.ticket(t.id);
      if (!known) continue;
      // What the listing shows is the acknowledged content, or an edit sent since (answered or not).
      if (t.title !== known.ackedTitle && !known.unsureLaterTitles.includes(t.title)) {
        m.violation(`listing shows ticket ${t.id} titled ${show(t.title)}; acknowledged ${show(known.ackedTitle)}`);
      }
      if (t.price !== known.ackedPrice && !known.unsureLaterPrices.includes(t.price)) {
        m.violation(`listing shows ticket ${t.id} at ${t.price}; acknowledged ${known.ackedPrice}`);
      }
    }
  }
  toString(): string {
    return `u${this.user}.listTickets()`;
  }
}

export class CreateTicket extends UserCommand {
  constructor(
    user: number,
    readonly title: TitleInput,
    readonly price: PriceInput,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    m.countCommand('create ticket');
    const verdict = bodyVerdict(this.title, this.price);
    const body = { title: this.title.title, price: this.price.price };
    const res = await r.call<TicketBody>(m, this.user, 'POST', '/api/tickets', 'POST /api/tickets', body);
    if (isOutage(res.status)) return;
    if (res.status !== 201) {
      if (verdict === 'valid') m.violation(`a valid ticket ${show(body)} was refused: ${res.status} ${show(res.body)}`);
      else if (!is4xx(res.status)) m.violation(`POST /api/tickets ${show(body)} answered ${res.status}`);
      return;
    }
    if (verdict === 'invalid') m.violation(`an invalid ticket ${show(body)} was accepted (201)`);
    const t = res.body;
    if (!CANONICAL_ID.test(t.id)) m.violation(`ticket created with a non-canonical id ${show(t.id)}`);
    if (t.title !== body.title) m.violation(`ticket ${t.id}: sent title ${show(body.title)}, stored ${show(t.title)}`);
    if (verdict !== 'invalid' && t.price !== this.price.value) m.violation(`ticket ${t.id}: sent price ${show(body.price)}, stored ${show(t.price)}`);
    m.tickets.push({
      id: t.id,
      owner: this.user,
      ackedTitle: t.title,
      ackedPrice: t.price,
      ackedVersion: t.version,
      unsureLaterTitles: [],
      unsureLaterPrices: [],
      editsSentAt: [],
      listedAt: Date.now(),
    });
    // What was accepted reads back unchanged.
    const back = await r.call<TicketBody>(m, this.user, 'GET', `/api/tickets/${t.id}`, 'GET /api/tickets/:id');
    if (back.status === 200 && (back.body.title !== t.title || back.body.price !== t.price)) {
      m.violation(`ticket ${t.id} reads back as ${show({ title: back.body.title, price: back.body.price })}, acknowledged ${show({ title: t.title, price: t.price })}`);
    } else if (back.status !== 200 && !isOutage(back.status)) {
      m.violation(`ticket ${t.id} just created (201) answers GET with ${back.status}`);
    }
  }
  toString(): string {
    return `u${this.user}.createTicket(${show(this.title.title)} [${this.title.verdict}], ${show(this.price.price)} [${this.price.verdict}])`;
  }
}

/**
 * Until its answer says otherwise, an edit sent may apply (the checks accept its title and
 * price as well as the acknowledged ones). Returns what withdraws it when it was refused.
 */
export function pendingEdit(t: ModelTicket, title: string, price: number): () => void {
  const sentAt = Date.now();
  t.unsureLaterTitles.push(title);
  t.unsureLaterPrices.push(price);
  t.editsSentAt.push(sentAt);
  return () => {
    t.unsureLaterTitles.splice(t.unsureLaterTitles.lastIndexOf(title), 1);
    t.unsureLaterPrices.splice(t.unsureLaterPrices.lastIndexOf(price), 1);
    t.editsSentAt.splice(t.editsSentAt.lastIndexOf(sentAt), 1);
  };
}

export class EditTicket extends UserCommand {
  constructor(
    user: number,
    readonly pick: number,
    readonly spelling: IdSpelling,
    readonly title: TitleInput,
    readonly price: PriceInput,
  ) {
    super(user);
  }

  async run(m: Model, r: RealSystem): Promise<void> {
    const t = choose(m.tickets.filter((x) => x.owner === this.user), this.pick);
    if (!t) return;
    m.countCommand('edit ticket');
    const verdict = bodyVerdict(this.title, this.price);
    const body = { title: this.title.title, price: this.price.price };
    const withdraw = verdict === 'invalid' ? () => undefined : pendingEdit(t, body.title, this.price.value);
    const res = await r.call<TicketBody>(m, this.user, 'PUT', `/api/tickets/${spellParam(t.id, this.spelling)}`, 'PUT /api/tickets/:id', body);
    if (isOutage(res.status)) return;
    if (res.status === 200) {
      if (verdict === 'invalid') m.violation(`an invalid edit ${show(body)} of ticket ${t.id} was accepted`);
      if (res.body.title !== body.title || res.body.price !== this.price.value) {
        m.violation(`edit of ticket ${t.id}: sent ${show(body)}, answered ${show({ title: res.body.title, price: res.body.price })}`);
      }
      t.ackedTitle = res.body.title;
      t.ackedPrice = res.body.price;
      t.ackedVersion = res.body.version;
      return;
    }
    withdraw();
    // 400: invalid, or the ticket is reserved or sold; 409: a concurrent change; 403: its buyer resold it (the seller is now they).
    if (res.status === 400 || res.status === 409 || (res.status === 403 && m.resold.has(t.id))) return;
    m.violation(`PUT /api/tickets/${spellParam(t.id, this.spelling)} (own ticket) answered ${res.status} ${show(res.body)}`);
  }
  toString(): string {
    return `u${this.user}.editTicket(#${this.pick}, ${this.spelling.kind}, ${show(this.title.title)}, ${show(this.price.price)})`;
  }
}
