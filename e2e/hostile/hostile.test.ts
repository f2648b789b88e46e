/**
 * Hostile input against the whole running system (through the gateway, as an attacker would
 * reach it): at least 5,000 generated requests (fast-check, seeded: HOSTILE_SEED replays a
 * run, HOSTILE_RUNS changes the count) over every route — malformed JSON, wrong types,
 * missing and extra fields, huge and deeply nested bodies, odd content types and encodings,
 * malformed and foreign ids, MongoDB operators, prototype-pollution keys — with every kind of
 * bad session. Every answer must be a 4xx in the error contract (or the route's documented
 * 2xx where junk is simply ignored), never a 5xx, never internal detail; afterwards every
 * service is still ready and nothing changed that should not have.
 *
 * Also: malformed and schema-invalid events published straight onto JetStream are recorded
 * on the DEADLETTER stream and skipped, without crashing a listener or holding back the
 * valid events behind them.
 */
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { JSONCodec } from 'nats';
import { EVENT_ROUTES, NATS_USERS, REDIS_USER_NAMES, type EventSubject } from '@ticketing/common';
import { eventually, randomObjectId, readStream, sleep } from '@ticketing/dev-servers';
import { sumMetric } from '../support/api';
import { Actor } from '../support/actor';
import { errorContractProblems, leakProblems } from '../support/error-contract';
import { rawRequest, type RawResponse } from '../support/http';
import { CONSUMERS, garbageEvents } from '../support/garbage-events';
import { connectNats } from '../support/jetstream';
import { seedFrom } from '../support/rng';
import { cookieSecrets, linesWithSecrets, pemSecrets } from '../support/secrets';
import { badSessions, type SessionVariant } from '../support/sessions';
import { startE2EStack, type E2EStack } from '../support/stack';
import { formatTable, report } from '../support/table';
import { describeRequest, expectedStatus, hostileRequest, unknownRouteRequest, type HostileRequest } from './requests';
import { routeSpecs, type Fixtures } from './routes';
import type { Order, Ticket } from '@ticketing/client/lib/api/types';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 5_200);
const CONCURRENCY = 12;
const seed = seedFrom('HOSTILE_SEED');
const password = `hostile-pw-${randomBytes(8).toString('hex')}`;
const SERVICES = ['auth', 'tickets', 'orders', 'payments', 'expiration'];


async function signedUp(base: string): Promise<Actor> {
  const a = new Actor(base, password);
  const res = await a.signup();
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return a;
}

/** Problems with one answer to a hostile request (empty = correct). */
function judge(req: Omit<HostileRequest, 'route'> & { route?: HostileRequest['route'] }, res: RawResponse, fx: Fixtures): string[] {
  const problems: string[] = [];
  if (res.headers['x-powered-by']) problems.push('x-powered-by header present');
  problems.push(...leakProblems(res.text));
  const want = req.route ? expectedStatus(req as HostileRequest) : 404;
  if (res.status >= 200 && res.status < 300) {
    const check = req.route?.allow2xx;
    if (!check || want !== undefined) problems.push(`unexpected ${res.status}${want ? ` (expected ${want})` : ''}: ${res.text.slice(0, 200)}`);
    else problems.push(...check(res, req.sessionIsOther, fx));
    return problems;
  }
  if (res.status < 400 || res.status > 499) problems.push(`status ${res.status}: ${res.text.slice(0, 200)}`);
  else if (want !== undefined && res.status !== want) problems.push(`expected ${want}, got ${res.status}: ${res.text.slice(0, 200)}`);
  problems.push(...errorContractProblems(res.json));
  return problems;
}

/** Runs `tasks` with at most `n` at once. */
async function pool<T>(items: T[], n: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await task(items[next++]);
    }),
  );
}

describe(`hostile input (fast-check seed ${seed})`, () => {
  let stack: E2EStack;
  let base: string;
  let seller: Actor;
  let buyer: Actor;
  let other: Actor;
  let fx: Fixtures;
  let sessions: { bad: SessionVariant[]; other: SessionVariant };

  beforeAll(async () => {
    process.stdout.write(`\n[hostile] fast-check seed ${seed} (replay with HOSTILE_SEED=${seed}), ${RUNS} generated requests\n`);
    stack = await startE2EStack();
    base = stack.gatewayUrl;
    [seller, buyer, other] = await Promise.all([signedUp(base), signedUp(base), signedUp(base)]);
    const list = async (price: number) => (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Hostile fixture', price })).body;
    const free = await list(10);
    const reserved = await list(20);
    // The buyer's order holds `reserved` (once the orders service has heard of the ticket).
    const order = await eventually(async () => {
      const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: reserved.id });
      return res.status === 201 ? res.body : undefined;
    });
    await eventually(async () => (await seller.call<Ticket>('GET', `/api/tickets/${reserved.id}`)).body.orderId === order.id);
    // The payments service knows the order once paying for someone else's order is a 403 (not 404).
    await eventually(async () => (await other.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' })).status === 403);
    fx = {
      other: { id: other.id, email: other.email, cookie: other.cookie },
      usedEmail: seller.email,
      freeTicketId: free.id,
      reservedTicketId: reserved.id,
      foreignOrderId: order.id,
    };
    sessions = { bad: badSessions(stack.sessionKeys, { id: other.id, email: other.email }), other: { label: 'valid session of a third user', cookie: other.cookie } };
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("the fuzzer's routes are exactly the routes the services document", async () => {
    const documented: string[] = [];
    for (const prefix of ['/api/users', '/api/tickets', '/api/orders', '/api/payments']) {
      const doc = (await rawRequest(base, { method: 'GET', path: `${prefix}/openapi.json` })).json as { paths: Record<string, object> };
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const m of Object.keys(ops)) if (['get', 'put', 'post', 'delete', 'patch'].includes(m)) documented.push(`${m.toUpperCase()} ${path}`);
      }
    }
    expect(routeSpecs(fx).map((r) => r.doc).sort()).toEqual(documented.sort());
  });

  it('every bad session is "signed out": 401 on every route that needs a user, currentUser null', async () => {
    const routes = routeSpecs(fx).filter((r) => r.auth);
    const wrong: string[] = [];
    for (const s of sessions.bad) {
      const cu = await rawRequest(base, { method: 'GET', path: '/api/users/currentuser', headers: s.cookie ? { cookie: s.cookie } : {} });
      if (cu.status !== 200 || (cu.json as { currentUser: unknown }).currentUser !== null) wrong.push(`${s.label}: currentuser → ${cu.status} ${cu.text}`);
      for (const r of routes) {
        const id = r.hasId === 'ticket' ? fx.freeTicketId : fx.foreignOrderId;
        const body = r.fields.length ? JSON.stringify(Object.fromEntries(r.fields.map((f) => [f.name, fc.sample(f.valid, { seed, numRuns: 1 })[0]]))) : undefined;
        const res = await rawRequest(base, {
          method: r.method,
          path: r.path(id),
          headers: { ...(s.cookie ? { cookie: s.cookie } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
          body,
        });
        if (res.status !== 401 || errorContractProblems(res.json).length) wrong.push(`${s.label}: ${r.method} ${r.path(id)} → ${res.status} ${res.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it(`${RUNS} generated hostile requests: always a 4xx in the error contract (or the documented 2xx), never a 5xx or internal detail`, async () => {
    const routes = routeSpecs(fx);
    const fixtureIds = { ticket: [fx.freeTicketId, fx.reservedTicketId], order: [fx.foreignOrderId] };
    type Generated = Omit<HostileRequest, 'route'> & { route?: HostileRequest['route'] };
    const arb: fc.Arbitrary<Generated> = fc.oneof(
      ...routes.map((r) => ({ weight: 10, arbitrary: hostileRequest(r, sessions, fixtureIds) })),
      { weight: 3, arbitrary: unknownRouteRequest(sessions) },
    );
    const requests = fc.sample(arb, { seed, numRuns: RUNS });
    const failures: string[] = [];
    const tally = new Map<string, Map<number, number>>();
    await pool(requests, CONCURRENCY, async (req) => {
      const name = req.route?.doc ?? 'unknown route';
      let res: RawResponse;
      try {
        res = await rawRequest(base, { method: req.method, path: req.path, headers: req.headers, body: req.body });
      } catch (err) {
        failures.push(`no answer (${(err as Error).message}) to ${describeRequest(req as HostileRequest)}`);
        return;
      }
      const byStatus = tally.get(name) ?? new Map<number, number>();
      byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
      tally.set(name, byStatus);
      const problems = judge(req, res, fx);
      if (problems.length) failures.push(`${problems.join('; ')}\n      request: ${describeRequest(req as HostileRequest)}`);
    });
    report(
      `hostile requests (seed ${seed}): ${requests.length} sent, ${failures.length} wrong answers`,
      formatTable([
        ['ROUTE', 'REQUESTS', 'ANSWERS (status × count)'],
        ...[...tally]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([route, byStatus]) => [
            route,
            [...byStatus.values()].reduce((s, n) => s + n, 0),
            [...byStatus].sort(([a], [b]) => a - b).map(([st, n]) => `${st}×${n}`).join(' '),
          ]),
      ]) + (failures.length ? `\n\nfirst wrong answers:\n  ${failures.slice(0, 25).join('\n  ')}` : ''),
    );
    expect(requests.length).toBeGreaterThanOrEqual(5_000);
    expect(failures).toEqual([]);
  }, 600_000);

  it('oversized bodies, announced (Content-Length) or streamed (chunked), are refused with 413 on every JSON route', async () => {
    const wrong: string[] = [];
    const routes = routeSpecs(fx).filter((r) => r.fields.length > 0);
    for (const r of routes) {
      for (const chunked of [false, true]) {
        const body = JSON.stringify({ pad: 'x'.repeat(5 * 1024 * 1024) });
        const res = await rawRequest(base, {
          method: r.method,
          path: r.path(fx.freeTicketId),
          headers: { 'content-type': 'application/json', cookie: other.cookie },
          body,
          chunked,
          timeoutMs: 30_000,
        }).catch((err: Error) => ({ status: 0, text: err.message, json: undefined, headers: {} }));
        if (res.status !== 413 || errorContractProblems(res.json).length || leakProblems(res.text).length) {
          wrong.push(`${r.method} ${r.path(fx.freeTicketId)} ${chunked ? 'chunked' : 'content-length'}: ${res.status} ${res.text.slice(0, 120)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('afterwards every service is ready, no process crashed, and nothing changed that should not have', async () => {
    for (const p of stack.processes) expect({ name: p.name, running: p.running, restarts: p.restarts }).toEqual({ name: p.name, running: true, restarts: 0 });
    for (const svc of SERVICES) {
      const res = await fetch(`${stack.urlOf(`${svc}-1`)}/readyz`);
      expect({ svc, status: res.status }).toEqual({ svc, status: 200 });
    }
    // The fixtures are as they were.
    const free = (await seller.call<Ticket>('GET', `/api/tickets/${fx.freeTicketId}`)).body;
    expect(free).toMatchObject({ price: 10, version: 0, userId: seller.id });
    expect(free.orderId).toBeUndefined();
    expect((await seller.call<Ticket>('GET', `/api/tickets/${fx.reservedTicketId}`)).body.orderId).toBe(fx.foreignOrderId);
    // Still unpaid and holding its ticket (`awaiting:payment` once orders has seen tickets hold it).
    expect(['created', 'awaiting:payment']).toContain((await buyer.call<Order>('GET', `/api/orders/${fx.foreignOrderId}`)).body.status);
    expect((await other.call<Order[]>('GET', '/api/orders')).body).toEqual([]);
    // No prototype was polluted: fresh objects carry no injected keys, anonymous is still anonymous.
    const anon = await rawRequest(base, { method: 'GET', path: '/api/users/currentuser' });
    expect(anon.json).toEqual({ currentUser: null });
    const created = await other.call<Record<string, unknown>>('POST', '/api/tickets', { title: 'After the storm', price: 5 });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['checkedIn', 'faceValue', 'id', 'organizerId', 'price', 'status', 'title', 'userId', 'version']);
    // The one ticket of `other` is the one just created: no hostile request made one.
    const mine = (await other.call<Ticket[]>('GET', '/api/tickets?limit=200')).body.filter((t) => (t as unknown as { userId: string }).userId === other.id);
    expect(mine.map((t) => t.id)).toEqual([created.body.id]);
  });

  it('mass assignment: fields a client must not set are ignored', async () => {
    const listing = { state: 'held', status: 'sold', holderId: seller.id, organizerId: seller.id, faceValue: 1, delivery: 9, checkedInAt: new Date().toISOString(), sales: [{ orderId: fx.foreignOrderId }] };
    const forged = { title: 'Forged', price: 7, userId: seller.id, version: 41, orderId: fx.foreignOrderId, id: randomObjectId(), _id: randomObjectId(), ...listing };
    const created = await other.call<Ticket & { userId: string }>('POST', '/api/tickets', forged);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Forged', price: 7, userId: other.id, version: 0, status: 'available', organizerId: other.id, faceValue: 7, checkedIn: false });
    expect(created.body.orderId).toBeUndefined();
    expect(created.body).not.toHaveProperty('holderId');
    expect(created.body).not.toHaveProperty('sales');
    expect([forged.id, forged._id]).not.toContain(created.body.id);
    const edited = await other.call<Ticket & { userId: string }>('PUT', `/api/tickets/${created.body.id}`, { ...forged, price: 8 });
    expect(edited.body).toMatchObject({ price: 8, userId: other.id, version: 1, status: 'available', organizerId: other.id, faceValue: 7 });
    expect(edited.body.orderId).toBeUndefined();

    const newcomer = new Actor(base, password);
    const signup = await newcomer.call<{ id: string; email: string }>('POST', '/api/users/signup', {
      email: newcomer.email,
      password,
      id: randomObjectId(),
      _id: randomObjectId(),
      passwordHash: 'scrypt$1$1$1$AAAA$AAAA',
      isAdmin: true,
    });
    expect(signup.status).toBe(201);
    expect(Object.keys(signup.body).sort()).toEqual(['email', 'id']);
    const again = new Actor(base, password, {}, newcomer.email);
    expect((await again.call('POST', '/api/users/signin', { email: newcomer.email, password })).status).toBe(200);

    // An order cannot be placed at a price or for a user of the client's choosing.
    const order = await eventually(async () => {
      const res = await buyer.call<Order & { userId: string }>('POST', '/api/orders', {
        ticketId: created.body.id,
        userId: other.id,
        status: 'complete',
        ticket: { price: 0.01 },
        expiresAt: '2100-01-01T00:00:00Z',
      });
      return res.status === 201 ? res.body : undefined;
    });
    // The ticket's price (7, or 8 once the edit reached the orders service), never the client's 0.01.
    expect(order).toMatchObject({ status: 'created', userId: buyer.id });
    expect([7, 8]).toContain(order.ticket.price);
    expect(new Date((order as unknown as { expiresAt: string }).expiresAt).getFullYear()).toBeLessThan(2100);
  });

  it('malformed and schema-invalid events go to DEADLETTER and are skipped; valid events behind them still arrive', async () => {
    const { jsm, close } = await connectNats(stack.infra.nats.server);
    try {
      const codec = JSONCodec();
      const consumers = CONSUMERS;
      const nonce = randomBytes(6).toString('hex');
      const garbage = (subject: string) => garbageEvents(subject, nonce);
      const metricsBefore = await handledTotals();
      let published = 0;
      for (const subject of Object.keys(consumers)) {
        // As the subject's owner (a buggy owner): no other NATS user may publish it.
        const owner = await connectNats(stack.infra.nats.server, EVENT_ROUTES[subject as EventSubject].owner);
        try {
          for (const g of garbage(subject)) {
            await owner.nc.jetstream().publish(subject, g.data);
            published++;
          }
        } finally {
          await owner.close();
        }
      }

      // Valid events, published behind the garbage by the services themselves.
      const ticket = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Behind the garbage', price: 30 })).body; // ticket.created → orders
      const order = await eventually(async () => {
        const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: ticket.id }); // order.created → tickets, payments, expiration
        return res.status === 201 ? res.body : undefined;
      });
      await eventually(async () => (await seller.call<Ticket>('GET', `/api/tickets/${ticket.id}`)).body.orderId === order.id);
      await eventually(async () => [201, 202].includes((await buyer.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' })).status));
      await eventually(async () => (await buyer.call<Order>('GET', `/api/orders/${order.id}`)).body.status === 'complete'); // payment.created → orders

      const second = (await seller.call<Ticket>('POST', '/api/tickets', { title: 'Behind the garbage 2', price: 40 })).body;
      const toCancel = await eventually(async () => {
        const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: second.id });
        return res.status === 201 ? res.body : undefined;
      });
      await eventually(async () => (await seller.call<Ticket>('GET', `/api/tickets/${second.id}`)).body.orderId === toCancel.id);
      const beforeCancel = await handledTotals();
      expect((await buyer.call('DELETE', `/api/orders/${toCancel.id}`)).status).toBe(204); // order.cancelled → tickets, payments
      await eventually(async () => (await seller.call<Ticket>('GET', `/api/tickets/${second.id}`)).body.orderId === undefined);
      await eventually(async () => (await handledTotals())['payments:order.cancelled'] > beforeCancel['payments:order.cancelled']);
      expect((await buyer.call('POST', '/api/payments', { orderId: toCancel.id, token: 'tok_visa' })).status).toBe(400);
      // ticket.updated → orders: the new price reaches the orders service's replica.
      expect((await seller.call('PUT', `/api/tickets/${second.id}`, { title: 'Behind the garbage 2', price: 45 })).status).toBe(200);
      const repriced = await eventually(
        async () => {
          const res = await other.call<Order>('POST', '/api/orders', { ticketId: second.id });
          if (res.status !== 201) return undefined;
          if (res.body.ticket.price === 45) return res.body;
          // Placed before the edit reached the orders service: release it and try again.
          await other.call('DELETE', `/api/orders/${res.body.id}`);
          return undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      // expiration.complete → orders: a valid one published straight onto JetStream, as the expiration worker.
      const expiration = await connectNats(stack.infra.nats.server, 'expiration');
      try {
        await expiration.nc
          .jetstream()
          .publish('expiration.complete', codec.encode({ orderId: repriced.id }), { msgID: `expiration.complete:${repriced.id}` });
      } finally {
        await expiration.close();
      }
      await eventually(async () => (await other.call<Order>('GET', `/api/orders/${repriced.id}`)).body.status === 'cancelled');
      // order.completed → payments, order.created → expiration: their handled counters moved.
      await eventually(async () => {
        const now = await handledTotals();
        return now['payments:order.completed'] > metricsBefore['payments:order.completed'] && now['expiration:order.created'] >= metricsBefore['expiration:order.created'] + 3;
      });

      // Every garbage message is on DEADLETTER once per consuming service, with the reason.
      const expected = Object.entries(consumers).flatMap(([subject, services]) =>
        services.flatMap((svc) => garbage(subject).map((g) => ({ subject: `deadletter.${svc}.${subject}`, reason: g.kind }))),
      );
      const key = (x: { subject: string; reason: string }) => `${x.subject} ${x.reason}`;
      const letters = await eventually(
        async () => {
          const all = (await readStream(jsm, 'DEADLETTER')).filter((m) => m.raw.includes(nonce));
          if (all.length < expected.length) {
            const seen = all.map((m) => key({ subject: m.subject, reason: (m.data as { reason: string }).reason }));
            const missing = expected.map(key).filter((k) => !seen.includes(k) || seen.splice(seen.indexOf(k), 1).length === 0);
            throw new Error(`${all.length} of ${expected.length} dead letters so far; missing: ${missing.join(', ')}`);
          }
          return all;
        },
        { timeoutMs: 30_000 },
      );
      const got = letters.map((m) => ({ subject: m.subject, reason: (m.data as { reason: string }).reason }));
      expect(got.map(key).sort()).toEqual(expected.map(key).sort());
      report('dead letters', `${published} garbage messages published on ${Object.keys(consumers).length} subjects → ${letters.length} dead letters (one per consuming service), each skipped`);

      // Nothing crashed, everything ready.
      for (const p of stack.processes) expect({ name: p.name, running: p.running, restarts: p.restarts }).toEqual({ name: p.name, running: true, restarts: 0 });
      for (const svc of SERVICES) expect((await fetch(`${stack.urlOf(`${svc}-1`)}/readyz`)).status).toBe(200);
    } finally {
      await close();
    }
  }, 120_000);

  it('no password, session or e-ticket code signing key, session or refresh token appears in any log line', async () => {
    await sleep(500);
    const secrets: Record<string, string> = {
      password,
      ...pemSecrets('session signing key', stack.sessionKeys.privateKeyPem),
      ...pemSecrets('e-ticket code signing key', stack.ticketCodeKey.privateKeyPem),
    };
    for (const user of NATS_USERS) secrets[`NATS password of ${user}`] = stack.infra.nats.server.credentials(user).pass;
    for (const user of REDIS_USER_NAMES) secrets[`Redis password of ${user}`] = new URL(stack.infra.redis.server.urlFor(user)).password;
    for (const a of [seller, buyer, other]) Object.assign(secrets, cookieSecrets(a.email, a.cookie));
    expect(linesWithSecrets(stack.lines, secrets)).toEqual([]);
  });

  /** events_handled_total{outcome="ack"} by `service:subject`. */
  async function handledTotals(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const svc of SERVICES) {
      const text = await (await fetch(`${stack.urlOf(`${svc}-1`)}/metrics`)).text();
      for (const subject of ['order.completed', 'order.created', 'order.cancelled']) out[`${svc}:${subject}`] = sumMetric(text, 'events_handled_total', { subject, outcome: 'ack' });
    }
    return out;
  }
});
