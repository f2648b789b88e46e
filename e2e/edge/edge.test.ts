/**
 * The local edge (nginx, as `npm start` runs it) with two replicas of every service: the
 * anonymous catalogue's freshness rule (micro-cache), readiness-aware upstreams (a replica
 * that stops is taken out, one that comes back is put back, by reloading nginx), and the
 * error contract for what the edge answers itself (no replica, no route, body too large).
 */
import { randomBytes } from 'node:crypto';
import { eventually, sleep } from '@ticketing/dev-servers';
import type { Ticket } from '@ticketing/client/lib/api/types';
import { Actor } from '../support/actor';
import { errorContractProblems } from '../support/error-contract';
import { rawRequest, type RawRequest } from '../support/http';
import { startE2EStack, type E2EStack } from '../support/stack';

interface Health {
  upstreams: { prefix: string; healthy: string[] }[];
}

describe('the local edge (nginx)', () => {
  let stack: E2EStack;
  let seller: Actor;

  beforeAll(async () => {
    stack = await startE2EStack({ replicas: 2 });
    seller = new Actor(stack.gatewayUrl, `edge-pw-${randomBytes(8).toString('hex')}`);
    expect((await seller.signup()).status).toBe(201);
  }, 240_000);

  afterAll(async () => {
    await stack?.stop();
  });

  // Every request on a new connection: a reload of nginx closes the old workers' idle
  // connections, and a request sent on one at that moment gets no answer (clients retry).
  const send = (req: RawRequest) => rawRequest(stack.gatewayUrl, { ...req, headers: { ...req.headers, connection: 'close' } });
  const anonymous = () => send({ method: 'GET', path: '/api/tickets' });
  const idsIn = (json: unknown) => (json as Ticket[]).map((t) => t.id);
  const healthyTickets = async () => {
    const health = (await send({ method: 'GET', path: '/gateway/healthz' })).json as Health;
    return health.upstreams.find((u) => u.prefix === '/api/tickets')!.healthy;
  };

  it('a new listing is visible to its author at once and to anonymous readers within the 1 s freshness rule', async () => {
    // The anonymous catalogue is served from the edge's cache.
    await anonymous();
    const cached = await anonymous();
    expect(cached.status).toBe(200);
    expect(cached.headers['x-edge-cache']).toMatch(/^(HIT|MISS|EXPIRED|STALE|UPDATING)$/); // never BYPASS without a cookie

    const listed = await seller.call<Ticket>('POST', '/api/tickets', { title: 'Edge freshness', price: 12 });
    expect(listed.status).toBe(201);
    const answeredAt = Date.now();

    // The author (a session cookie) bypasses the cache: their listing is there at once.
    const own = await seller.call<Ticket[]>('GET', '/api/tickets');
    expect(own.headers!.get('x-edge-cache')).toBe('BYPASS');
    expect(idsIn(own.body)).toContain(listed.body.id);

    // Anyone else: a cached page is kept until the end of the clock second it was fetched in,
    // so one second after the write every page cached before it is stale; the first request
    // then fetches a fresh one (stale-while-updating serves the old page only to requests
    // that arrive while that fetch is under way; this test sends one at a time).
    await sleep(Math.max(0, answeredAt + 1_000 - Date.now()) + 20);
    const later = await anonymous();
    expect(later.status).toBe(200);
    expect(idsIn(later.json)).toContain(listed.body.id);
    // …and that page is cached again for everyone else.
    const again = await anonymous();
    expect(idsIn(again.json)).toContain(listed.body.id);
  });

  it('a replica that stops is taken out of the pool and put back when it is ready again; requests keep being answered', async () => {
    const [one, two] = ['tickets-1', 'tickets-2'].map((n) => stack.urlOf(n));
    await eventually(async () => (await healthyTickets()).length === 2);
    await stack.process('tickets-1').stop();
    await eventually(async () => JSON.stringify(await healthyTickets()) === JSON.stringify([two]), { timeoutMs: 30_000 });
    for (let i = 0; i < 10; i++) {
      const res = await send({ method: 'GET', path: '/api/tickets', headers: { cookie: seller.cookie } });
      expect(res.status).toBe(200);
      expect(res.headers['x-edge-cache']).toBe('BYPASS');
    }
    stack.process('tickets-1').start();
    await eventually(async () => (await healthyTickets()).sort().join() === [one, two].sort().join(), { timeoutMs: 90_000 });
  });

  it('answers in the error contract what it answers itself: no ready replica (502), no route (404), a body above 1 MB (413)', async () => {
    await Promise.all(['tickets-1', 'tickets-2'].map((n) => stack.process(n).stop()));
    try {
      const down = await send({ method: 'GET', path: '/api/tickets/5f0000000000000000000000' });
      expect(down.status).toBe(502);
      expect(down.headers['content-type']).toMatch(/application\/json/);
      expect(errorContractProblems(down.json)).toEqual([]);
    } finally {
      for (const n of ['tickets-1', 'tickets-2']) stack.process(n).start();
    }
    const noRoute = await send({ method: 'GET', path: '/nowhere' });
    expect(noRoute.status).toBe(404);
    expect(errorContractProblems(noRoute.json)).toEqual([]);
    const huge = await send({
      method: 'POST',
      path: '/api/users/signup',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'x'.repeat(2_000_000) }),
    });
    expect(huge.status).toBe(413);
    expect(errorContractProblems(huge.json)).toEqual([]);
    await eventually(async () => (await healthyTickets()).length === 2, { timeoutMs: 90_000 });
  });
});
