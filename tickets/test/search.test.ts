import { randomObjectId, useServiceTestEnv } from '@ticketing/dev-servers';
import { lifecycle, person, type TicketJson } from './lifecycle';
import { ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const events = useServiceTestEnv(ticketsService, ticketsTestOptions('tickets_search'));
const app = events.app();
const life = lifecycle(app, events);
const { api } = life;

/** Each test lists its tickets under its own word, so they never see each other's. */
const word = () => `w${randomObjectId().slice(0, 10)}`;
const search = (qs: string) => api.get(`/api/tickets?${qs}`);
const titles = (body: TicketJson[]) => body.map((t) => t.title);

/** Follows X-Next-Cursor from `qs` to the last page; every page's ids. */
async function allPages(qs: string): Promise<TicketJson[][]> {
  const pages: TicketJson[][] = [];
  let next: string | undefined = qs;
  while (next !== undefined) {
    const res = await search(next);
    expect(res.status).toBe(200);
    pages.push(res.body);
    const cursor = res.headers['x-next-cursor'] as string | undefined;
    if (cursor) expect(res.headers.link).toContain(`cursor=${encodeURIComponent(cursor)}`);
    next = cursor ? `${qs}&cursor=${encodeURIComponent(cursor)}` : undefined;
  }
  return pages;
}

describe('GET /api/tickets search, sort and pagination', () => {
  it('q: a case-insensitive title substring, Unicode included', async () => {
    const w = word();
    const seller = person();
    for (const title of [`Café Ünïcode ${w}`, `ROCK ${w} 🎸`, `jazz ${w}`, `Zürich 東京 ${w}`]) await life.createTicket(seller, { title, price: 10 });
    expect(titles((await search(`q=${w}`)).body)).toHaveLength(4);
    expect(titles((await search(`q=${encodeURIComponent(`rock ${w}`)}`)).body)).toEqual([`ROCK ${w} 🎸`]);
    expect(titles((await search(`q=${encodeURIComponent(`CAFÉ Ünïcode ${w}`.replace('CAFÉ', 'cAfé'))}`)).body)).toEqual([`Café Ünïcode ${w}`]);
    expect(titles((await search(`q=${encodeURIComponent(`${w} 🎸`)}`)).body)).toEqual([`ROCK ${w} 🎸`]);
    expect(titles((await search(`q=${encodeURIComponent(`東京 ${w}`)}`)).body)).toEqual([`Zürich 東京 ${w}`]);
    expect((await search(`q=${encodeURIComponent(`opera ${w}`)}`)).body).toEqual([]);
  });

  it('q: regular-expression metacharacters are taken literally (never a pattern, never a 500)', async () => {
    const w = word();
    const seller = person();
    for (const title of [`a.b ${w}`, `axb ${w}`, `(x+) ${w}`, `[vip] ${w}`, `back\\slash ${w}`, `$5 ^off ${w}`]) await life.createTicket(seller, { title, price: 10 });
    const found = async (q: string) => titles((await search(`q=${encodeURIComponent(q)}`)).body).filter((t) => t.endsWith(w));
    expect(await found(`a.b ${w}`)).toEqual([`a.b ${w}`]);
    expect(await found(`(x+) ${w}`)).toEqual([`(x+) ${w}`]);
    expect(await found(`[vip] ${w}`)).toEqual([`[vip] ${w}`]);
    expect(await found(`back\\slash ${w}`)).toEqual([`back\\slash ${w}`]);
    expect(await found(`$5 ^off ${w}`)).toEqual([`$5 ^off ${w}`]);
    for (const q of ['.*', '(', '[', '\\', '*', '?', '|', 'a{2,}', '(?i)']) {
      const res = await search(`q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      for (const t of res.body as TicketJson[]) expect(t.title.toLowerCase()).toContain(q.toLowerCase());
    }
  });

  it('minPrice/maxPrice bound the price; sort price-asc / price-desc / newest, paginated with no duplicate and no gap', async () => {
    const w = word();
    const seller = person();
    const prices = [5, 12.5, 12.5, 20, 20, 20, 33, 41.99, 50, 75];
    const created: TicketJson[] = [];
    for (const [i, price] of prices.entries()) created.push(await life.createTicket(seller, { title: `${w} #${i}`, price }));

    const inRange = (await search(`q=${w}&minPrice=12.5&maxPrice=41.99&sort=price-asc`)).body as TicketJson[];
    expect(inRange.map((t) => t.price)).toEqual([12.5, 12.5, 20, 20, 20, 33, 41.99]);

    const asc = (await allPages(`q=${w}&sort=price-asc&limit=3`)).flat();
    expect(asc.map((t) => t.price)).toEqual([...prices].sort((a, b) => a - b));
    expect(new Set(asc.map((t) => t.id)).size).toBe(prices.length);
    const desc = await allPages(`q=${w}&sort=price-desc&limit=4&minPrice=10`);
    expect(desc.map((p) => p.length)).toEqual([4, 4, 1]);
    expect(desc.flat().map((t) => t.price)).toEqual([75, 50, 41.99, 33, 20, 20, 20, 12.5, 12.5]);
    const newest = (await allPages(`q=${w}&limit=4`)).flat();
    expect(newest.map((t) => t.id)).toEqual(created.map((t) => t.id).reverse());
  });

  it('only available tickets: not reserved, sold or delisted', async () => {
    const w = word();
    const seller = person();
    const [free, reserved, sold, delisted] = [
      await life.createTicket(seller, { title: `${w} free`, price: 10 }),
      await life.createTicket(seller, { title: `${w} reserved`, price: 10 }),
      await life.createTicket(seller, { title: `${w} sold`, price: 10 }),
      await life.createTicket(seller, { title: `${w} delisted`, price: 10 }),
    ];
    await life.reserve(reserved.id, person());
    await life.buy(sold.id, person());
    expect((await api.withdraw(delisted.id, seller)).status).toBe(200);
    const res = await search(`q=${w}`);
    expect(res.body).toEqual([expect.objectContaining({ id: free.id, status: 'available' })]);
    for (const sort of ['price-asc', 'price-desc']) expect((await search(`q=${w}&sort=${sort}`)).body.map((t: TicketJson) => t.id)).toEqual([free.id]);
  });

  it.each([
    ['sort=cheapest', 'sort'],
    ['sort=newest&sort=price-asc', 'sort'],
    ['minPrice=-1', 'minPrice'],
    ['minPrice=abc', 'minPrice'],
    ['minPrice=1.234', 'minPrice'],
    ['maxPrice=1e3', 'maxPrice'],
    ['maxPrice=', 'maxPrice'],
    ['minPrice=20&maxPrice=10', 'minPrice'],
    ['q=', 'q'],
    ['q=a&q=b', 'q'],
    [`q=${'x'.repeat(101)}`, 'q'],
    ['q=%20padded%20', 'q'],
    ['cursor=garbage', 'cursor'],
    [`sort=price-asc&cursor=${randomObjectId()}`, 'cursor'],
    [`sort=price-asc&cursor=abc_${randomObjectId()}`, 'cursor'],
    [`sort=price-asc&before=${randomObjectId()}`, 'before'],
    ['limit=0', 'limit'],
    ['before=not-an-id', 'before'],
  ])('400 in the error contract for ?%s (field %s)', async (qs, field) => {
    const res = await search(qs);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ message: expect.any(String), field })]);
  });
});

describe('GET /api/tickets/mine and /api/tickets/listings', () => {
  it('need a session (401)', async () => {
    expect((await api.get('/api/tickets/mine')).status).toBe(401);
    expect((await api.get('/api/tickets/listings')).status).toBe(401);
  });

  it('listings: what I sell, with status (available, reserved), newest first; never other sellers\' tickets', async () => {
    const seller = person();
    const a = await life.createTicket(seller, { title: 'one', price: 10 });
    const b = await life.createTicket(seller, { title: 'two', price: 10 });
    await life.createTicket(person(), { title: 'not mine', price: 10 });
    await life.reserve(a.id, person());
    const res = await api.get('/api/tickets/listings', seller);
    expect(res.body.map((t: TicketJson & { sales: unknown[] }) => [t.id, t.status, t.sales])).toEqual([
      [b.id, 'available', []],
      [a.id, 'reserved', []],
    ]);
  });
});
