/**
 * Security checks on a stack started in production mode (NODE_ENV=production, its own session
 * key pair, a fake Stripe key pointed at a closed local port so that nothing can leave the
 * machine — payments are never charged here): session and refresh cookie flags, renewal and
 * revocation, only auth holding the signing key, security headers on
 * every service, authorization of every route (route × anonymous / owner / other user), the
 * sign-in rate limit, and no secret in any log line of the run.
 *
 * Secure cookies are only sent over HTTPS, so requests carry `X-Forwarded-Proto: https` as
 * the TLS-terminating ingress would set it (the services trust one proxy hop).
 */
import { randomBytes } from 'node:crypto';
import { eventually, generateSessionKeyPair, randomObjectId, sessionPublicKeysJson, signin } from '@ticketing/dev-servers';
import { freePort } from '@ticketing/dev-servers';
import { sumMetric } from '../support/api';
import { Actor, type CallResult } from '../support/actor';
import { errorContractProblems } from '../support/error-contract';
import { rawRequest } from '../support/http';
import { cookieSecrets, linesWithSecrets, pemSecrets } from '../support/secrets';
import { startE2EStack, type E2EStack } from '../support/stack';
import { formatTable, report } from '../support/table';
import type { Order, Ticket } from '@ticketing/client/lib/api/types';

/** This deployment's session key pair: auth signs with it, every service verifies with its public half. */
const SESSION_KEYS = generateSessionKeyPair('prod-e2e');
const STRIPE_KEY = `sk_test_fake${randomBytes(12).toString('hex')}`;
const STRIPE_WEBHOOK_SECRET = `whsec_fake${randomBytes(12).toString('hex')}`;
const password = `security-pw-${randomBytes(8).toString('hex')}`;
const wrongPassword = `wrong-pw-${randomBytes(8).toString('hex')}`;
const HTTPS = { 'x-forwarded-proto': 'https' };
const PREFIXES = { auth: '/api/users', tickets: '/api/tickets', orders: '/api/orders', payments: '/api/payments' };


/** `name=value; Path=/; …` → lower-cased attribute map (value under `value`). */
function cookieAttributes(setCookie: string): Record<string, string> {
  const [first, ...attrs] = setCookie.split(';').map((s) => s.trim());
  const out: Record<string, string> = { name: first.slice(0, first.indexOf('=')), value: first.slice(first.indexOf('=') + 1) };
  for (const a of attrs) {
    const i = a.indexOf('=');
    out[(i < 0 ? a : a.slice(0, i)).toLowerCase()] = i < 0 ? 'true' : a.slice(i + 1);
  }
  return out;
}

function setCookieNamed(name: string, res: CallResult): Record<string, string> | undefined {
  const c = res.headers?.getSetCookie().find((h) => h.startsWith(`${name}=`));
  return c ? cookieAttributes(c) : undefined;
}
const sessionSetCookie = (res: CallResult) => setCookieNamed('session', res);
const refreshSetCookie = (res: CallResult) => setCookieNamed('refresh', res);

describe('security (a production-mode stack)', () => {
  let stack: E2EStack;
  let base: string;
  const actors: Actor[] = [];
  const user = async () => {
    const a = new Actor(base, password, HTTPS);
    const res = await a.signup();
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    actors.push(a);
    return a;
  };

  beforeAll(async () => {
    stack = await startE2EStack({
      env: {
        NODE_ENV: 'production',
        SESSION_SIGNING_KEY: SESSION_KEYS.privateKeyPem,
        SESSION_SIGNING_KEY_ID: SESSION_KEYS.kid,
        SESSION_PUBLIC_KEYS: sessionPublicKeysJson(SESSION_KEYS),
        STRIPE_KEY,
        STRIPE_WEBHOOK_SECRET,
        // Nothing may reach Stripe from a test: a closed port on loopback.
        STRIPE_API_HOST: '127.0.0.1',
        STRIPE_API_PORT: String(await freePort()),
        STRIPE_API_PROTOCOL: 'http',
        RATE_LIMIT_SIGNIN_PER_MIN: '5',
      },
    });
    base = stack.gatewayUrl;
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });

  describe('session cookie', () => {
    it('sign-up and sign-in set `session` HttpOnly, Secure, SameSite=Lax, Path=/ holding a 15-minute ES256 token, and `refresh` HttpOnly, Secure, SameSite=Strict, scoped to the refresh route', async () => {
      const a = new Actor(base, password, HTTPS);
      const up = await a.signup();
      expect(up.status).toBe(201);
      actors.push(a);
      const again = new Actor(base, password, HTTPS, a.email);
      const inRes = await again.call('POST', '/api/users/signin', { email: a.email, password });
      expect(inRes.status).toBe(200);
      actors.push(again);
      for (const res of [up, inRes]) {
        const c = sessionSetCookie(res)!;
        expect(c).toMatchObject({ httponly: 'true', secure: 'true', samesite: 'lax', path: '/' });
        expect(c.domain).toBeUndefined();
        const [header, payload] = (JSON.parse(Buffer.from(c.value, 'base64').toString()) as { jwt: string }).jwt
          .split('.')
          .slice(0, 2)
          .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
        expect(header).toMatchObject({ alg: 'ES256', kid: SESSION_KEYS.kid });
        expect(Number(payload.exp) - Number(payload.iat)).toBe(15 * 60);
        // The cookie outlives the token: it lasts as long as the sign-in (7 days by default).
        expect(Math.abs(new Date(c.expires).getTime() / 1000 - (Number(payload.iat) + 7 * 24 * 3600))).toBeLessThanOrEqual(5);
        const r = refreshSetCookie(res)!;
        expect(r).toMatchObject({ httponly: 'true', secure: 'true', samesite: 'Strict', path: '/api/users/refresh' });
        expect(r.value).not.toBe('');
      }
      // Sign-out clears both with the same flags.
      const out = await again.call('POST', '/api/users/signout');
      const cleared = sessionSetCookie(out)!;
      expect(cleared).toMatchObject({ httponly: 'true', secure: 'true', samesite: 'lax' });
      expect(new Date(cleared.expires).getTime()).toBeLessThan(Date.now());
      const clearedRefresh = refreshSetCookie(out)!;
      expect(clearedRefresh).toMatchObject({ value: '', httponly: 'true', secure: 'true', samesite: 'Strict', path: '/api/users/refresh' });
    });

    it('over plain HTTP a production service never sends the session cookie', async () => {
      const plain = new Actor(base, password);
      const res = await plain.signup();
      expect(res.status).toBe(201);
      expect(sessionSetCookie(res)).toBeUndefined();
      // Straight to the service too (no proxy in between): same.
      const direct = await rawRequest(stack.urlOf('auth-1'), {
        method: 'POST',
        path: '/api/users/signin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: plain.email, password }),
      });
      expect(direct.status).toBe(200);
      expect(direct.headers['set-cookie'] ?? []).toEqual([]);
    });

    it('a service reached directly behind one trusted proxy hop sets the Secure cookie', async () => {
      const a = await user();
      const direct = await rawRequest(stack.urlOf('auth-1'), {
        method: 'POST',
        path: '/api/users/signin',
        headers: { 'content-type': 'application/json', ...HTTPS },
        body: JSON.stringify({ email: a.email, password }),
      });
      expect(direct.status).toBe(200);
      const set = ([] as string[]).concat(direct.headers['set-cookie'] ?? []);
      expect(cookieAttributes(set.find((h) => h.startsWith('session=')) ?? '')).toMatchObject({ name: 'session', httponly: 'true', secure: 'true', samesite: 'lax' });
      expect(cookieAttributes(set.find((h) => h.startsWith('refresh=')) ?? '')).toMatchObject({ name: 'refresh', httponly: 'true', secure: 'true', samesite: 'Strict', path: '/api/users/refresh' });
    });

    it('renewal through the gateway: a new session and refresh token; reusing the old one revokes the sign-in; sign-out revokes too', async () => {
      const a = await user();
      const first = a.cookie;
      const renewed = await a.call<{ currentUser: { id: string } }>('POST', '/api/users/refresh');
      expect(renewed.status).toBe(200);
      expect(renewed.body.currentUser.id).toBe(a.id);
      expect(refreshSetCookie(renewed)).toMatchObject({ httponly: 'true', secure: 'true', samesite: 'Strict', path: '/api/users/refresh' });
      expect((await a.call<{ id: string }[]>('GET', '/api/orders')).status).toBe(200);
      const second = a.cookie;
      expect(second).not.toBe(first);
      // Someone replays the first refresh token: the whole sign-in is revoked.
      const thief = new Actor(base, password, HTTPS, a.email);
      thief.cookie = first;
      expect((await thief.call('POST', '/api/users/refresh')).status).toBe(401);
      const victim = new Actor(base, password, HTTPS, a.email);
      victim.cookie = second;
      expect((await victim.call('POST', '/api/users/refresh')).status).toBe(401);

      // Sign-out: the refresh token of that sign-in no longer renews.
      const b = await user();
      const kept = b.cookie;
      expect((await b.call('POST', '/api/users/signout')).status).toBe(200);
      const copy = new Actor(base, password, HTTPS, b.email);
      copy.cookie = kept;
      expect((await copy.call('POST', '/api/users/refresh')).status).toBe(401);
    });

    it('only auth holds the session signing key; every service has the public key', () => {
      for (const p of stack.processes) {
        const env = p.spec.env ?? {};
        const service = p.name.replace(/-\d+$/, '');
        expect({ process: p.name, signing: 'SESSION_SIGNING_KEY' in env }).toEqual({ process: p.name, signing: service === 'auth' });
        if (['auth', 'tickets', 'orders', 'payments'].includes(service)) expect(env.SESSION_PUBLIC_KEYS).toBe(sessionPublicKeysJson(SESSION_KEYS));
      }
    });

    it('a token signed with another key (even under the production kid) or expired is signed out', async () => {
      const a = await user();
      const another = generateSessionKeyPair();
      const forged = [signin(a, { pair: another })[0], signin(a, { pair: { ...another, kid: SESSION_KEYS.kid } })[0], signin(a, { pair: SESSION_KEYS, expiresInSeconds: -1 })[0]];
      expect((await rawRequest(base, { method: 'GET', path: '/api/orders', headers: { cookie: signin(a, { pair: SESSION_KEYS })[0], ...HTTPS } })).status).toBe(200); // control
      for (const cookie of forged) {
        const res = await rawRequest(base, { method: 'GET', path: '/api/orders', headers: { cookie, ...HTTPS } });
        expect(res.status).toBe(401);
      }
    });
  });

  describe('security headers', () => {
    const EXPECTED: Record<string, (v: string | undefined) => boolean> = {
      'x-content-type-options': (v) => v === 'nosniff',
      'x-frame-options': (v) => v === 'SAMEORIGIN' || v === 'DENY',
      'strict-transport-security': (v) => /max-age=\d{7,}/.test(v ?? ''),
      'content-security-policy': (v) => /default-src 'self'/.test(v ?? '') && /frame-ancestors 'self'|frame-ancestors 'none'/.test(v ?? ''),
      'referrer-policy': (v) => v === 'no-referrer',
      'cross-origin-opener-policy': (v) => v === 'same-origin',
      'cross-origin-resource-policy': (v) => v === 'same-origin',
      'x-dns-prefetch-control': (v) => v === 'off',
      'x-permitted-cross-domain-policies': (v) => v === 'none',
      'x-powered-by': (v) => v === undefined,
      'access-control-allow-origin': (v) => v === undefined,
    };

    it('every service sends them on successes, errors and 404s — through the gateway and directly', async () => {
      const someone = await user();
      const problems: string[] = [];
      const rows: (string | number)[][] = [];
      for (const [svc, prefix] of Object.entries(PREFIXES)) {
        const requests = [
          { what: 'openapi.json', method: 'GET', path: `${prefix}/openapi.json` },
          { what: 'unknown route', method: 'GET', path: `${prefix}/no-such-route/x` },
          { what: 'malformed JSON', method: 'POST', path: prefix === '/api/users' ? '/api/users/signin' : prefix, body: '{"broken":' },
          { what: 'signed in', method: 'GET', path: svc === 'auth' ? '/api/users/currentuser' : svc === 'payments' ? '/api/payments/openapi.json' : prefix },
        ];
        for (const target of [{ via: 'gateway', url: base }, { via: `${svc}-1`, url: stack.urlOf(`${svc}-1`) }]) {
          for (const r of requests) {
            const res = await rawRequest(target.url, {
              method: r.method,
              path: r.path,
              headers: { ...HTTPS, origin: 'https://evil.example', cookie: someone.cookie, ...(r.body ? { 'content-type': 'application/json' } : {}) },
              body: r.body,
            });
            const bad = Object.entries(EXPECTED)
              .filter(([h, ok]) => !ok(res.headers[h] as string | undefined))
              .map(([h]) => `${h}=${String(res.headers[h])}`);
            if (bad.length) problems.push(`${target.via} ${r.method} ${r.path} (${res.status}): ${bad.join(', ')}`);
            if (res.status >= 400 && errorContractProblems(res.json).length) problems.push(`${target.via} ${r.path}: ${res.status} not in the error contract`);
            rows.push([svc, target.via, r.what, res.status, bad.length ? `MISSING ${bad.join(' ')}` : 'all present']);
          }
        }
      }
      report('security headers', formatTable([['SERVICE', 'VIA', 'REQUEST', 'STATUS', 'HEADERS'], ...rows]));
      expect(problems).toEqual([]);
    });
  });

  describe('authorization', () => {
    type Who = 'anonymous' | 'owner' | 'other';
    interface Row {
      doc: string;
      what: string;
      method: string;
      path: string;
      body?: unknown;
      /** Asked in this order (the owner last: owners' requests change things). */
      expect: Partial<Record<Who, number>>;
      /** Extra check of the owner's / other's answer. */
      check?: (who: Who, res: CallResult) => string | undefined;
    }

    it('route × {anonymous, owner, other user} → the expected status, for every documented route', async () => {
      const [seller, buyer, third] = await Promise.all([user(), user(), user()]);
      const leaving = await Promise.all([user(), user()]);
      const anonymous = new Actor(base, password, HTTPS);
      const list = async (title: string) => (await seller.call<Ticket>('POST', '/api/tickets', { title, price: 12 })).body;
      const [toEdit, toBuy, reserved, toWithdraw] = await Promise.all([list('to edit'), list('to buy'), list('reserved'), list('to withdraw')]);
      const order = await eventually(async () => {
        const res = await buyer.call<Order>('POST', '/api/orders', { ticketId: reserved.id });
        return res.status === 201 ? res.body : undefined;
      });
      await eventually(async () => (await seller.call<Ticket>('GET', `/api/tickets/${reserved.id}`)).body.orderId === order.id);
      await eventually(async () => (await third.call('POST', '/api/payments', { orderId: order.id, token: 'tok_visa' })).status === 403);
      // The orders service knows `toBuy` once its seller ordering it is "your own ticket" (not 404).
      await eventually(async () => (await seller.call('POST', '/api/orders', { ticketId: toBuy.id })).status === 400);

      const ticketOwner = { owner: seller, other: third };
      const orderOwner = { owner: buyer, other: third };
      const waiter = { owner: third, other: buyer };
      const rows: (Row & { actors: { owner: Actor; other: Actor } })[] = [
        { doc: 'POST /api/users/signup', what: 'sign up (an email in use)', method: 'POST', path: '/api/users/signup', body: { email: seller.email, password }, expect: { anonymous: 400, owner: 400, other: 400 }, actors: ticketOwner },
        { doc: 'POST /api/users/signin', what: "sign in with the owner's email, wrong password", method: 'POST', path: '/api/users/signin', body: { email: seller.email, password: wrongPassword }, expect: { anonymous: 400, other: 400 }, actors: ticketOwner },
        {
          doc: 'GET /api/users/currentuser',
          what: 'who am I',
          method: 'GET',
          path: '/api/users/currentuser',
          expect: { anonymous: 200, owner: 200, other: 200 },
          actors: ticketOwner,
          check: (who, res) => {
            const id = (res.body as { currentUser: { id: string } | null }).currentUser?.id ?? null;
            const want = who === 'anonymous' ? null : who === 'owner' ? seller.id : third.id;
            return id === want ? undefined : `currentUser ${id}, expected ${want}`;
          },
        },
        {
          doc: 'POST /api/users/refresh',
          what: 'renew with the refresh cookie (anonymous: none)',
          method: 'POST',
          path: '/api/users/refresh',
          expect: { anonymous: 401, owner: 200, other: 200 },
          actors: ticketOwner,
          check: (who, res) => {
            const id = (res.body as { currentUser: { id: string } | null }).currentUser?.id ?? null;
            const want = who === 'owner' ? seller.id : third.id;
            return id === want ? undefined : `renewed ${id}, expected ${want}`;
          },
        },
        { doc: 'GET /api/users/openapi.json', what: 'API document', method: 'GET', path: '/api/users/openapi.json', expect: { anonymous: 200 }, actors: ticketOwner },
        { doc: 'GET /api/tickets', what: 'list tickets', method: 'GET', path: '/api/tickets', expect: { anonymous: 200, owner: 200, other: 200 }, actors: ticketOwner },
        { doc: 'POST /api/tickets', what: 'list a ticket', method: 'POST', path: '/api/tickets', body: { title: 'New', price: 3 }, expect: { anonymous: 401, other: 201 }, actors: ticketOwner },
        { doc: 'GET /api/tickets/{id}', what: 'show a ticket', method: 'GET', path: `/api/tickets/${toEdit.id}`, expect: { anonymous: 200, owner: 200, other: 200 }, actors: ticketOwner },
        { doc: 'PUT /api/tickets/{id}', what: "edit the seller's ticket", method: 'PUT', path: `/api/tickets/${toEdit.id}`, body: { title: 'Edited', price: 13 }, expect: { anonymous: 401, other: 403, owner: 200 }, actors: ticketOwner },
        { doc: 'PUT /api/tickets/{id}', what: "edit the seller's reserved ticket", method: 'PUT', path: `/api/tickets/${reserved.id}`, body: { title: 'Edited', price: 13 }, expect: { anonymous: 401, other: 403, owner: 400 }, actors: ticketOwner },
        { doc: 'DELETE /api/tickets/{id}', what: "withdraw the seller's ticket", method: 'DELETE', path: `/api/tickets/${toWithdraw.id}`, expect: { anonymous: 401, other: 403, owner: 200 }, actors: ticketOwner },
        { doc: 'GET /api/tickets/mine', what: 'tickets I hold', method: 'GET', path: '/api/tickets/mine', expect: { anonymous: 401, owner: 200, other: 200 }, actors: ticketOwner },
        {
          doc: 'GET /api/tickets/listings',
          what: 'tickets I sell',
          method: 'GET',
          path: '/api/tickets/listings',
          expect: { anonymous: 401, owner: 200, other: 200 },
          actors: ticketOwner,
          check: (who, res) => {
            const ids = (res.body as Ticket[]).map((t) => t.id);
            if (who === 'owner' && !ids.includes(toEdit.id)) return 'the seller does not see their listing';
            if (who === 'other' && ids.includes(toEdit.id)) return "another user sees the seller's listings";
            return undefined;
          },
        },
        { doc: 'GET /api/tickets/code-keys', what: 'e-ticket code keys (public)', method: 'GET', path: '/api/tickets/code-keys', expect: { anonymous: 200, other: 200 }, actors: ticketOwner },
        { doc: 'GET /api/tickets/{id}/code', what: 'the code of a ticket nobody holds yet', method: 'GET', path: `/api/tickets/${reserved.id}/code`, expect: { anonymous: 401, other: 403, owner: 403 }, actors: ticketOwner },
        { doc: 'POST /api/tickets/{id}/checkin', what: 'check in a junk code (owner = organizer)', method: 'POST', path: `/api/tickets/${toEdit.id}/checkin`, body: { code: 'junk' }, expect: { anonymous: 401, other: 403, owner: 400 }, actors: ticketOwner },
        { doc: 'GET /api/tickets/openapi.json', what: 'API document', method: 'GET', path: '/api/tickets/openapi.json', expect: { anonymous: 200 }, actors: ticketOwner },
        { doc: 'POST /api/orders', what: 'order a ticket (owner = its seller)', method: 'POST', path: '/api/orders', body: { ticketId: toBuy.id }, expect: { anonymous: 401, owner: 400, other: 201 }, actors: ticketOwner },
        {
          doc: 'GET /api/orders',
          what: 'list my orders',
          method: 'GET',
          path: '/api/orders',
          expect: { anonymous: 401, owner: 200, other: 200 },
          actors: orderOwner,
          check: (who, res) => {
            const ids = (res.body as Order[]).map((o) => o.id);
            if (who === 'owner' && !ids.includes(order.id)) return 'the buyer does not see their order';
            if (who === 'other' && ids.includes(order.id)) return "another user sees the buyer's order";
            return undefined;
          },
        },
        { doc: 'GET /api/orders/{id}', what: "show the buyer's order", method: 'GET', path: `/api/orders/${order.id}`, expect: { anonymous: 401, other: 403, owner: 200 }, actors: orderOwner },
        // The waitlist of the reserved ticket: its owner is the one waiting (third), the other its holder (buyer).
        { doc: 'POST /api/orders/waitlist', what: 'join the line of a reserved ticket (other = its holder)', method: 'POST', path: '/api/orders/waitlist', body: { ticketId: reserved.id }, expect: { anonymous: 401, other: 400, owner: 201 }, actors: waiter },
        {
          doc: 'GET /api/orders/waitlist',
          what: 'list my waitlist entries',
          method: 'GET',
          path: '/api/orders/waitlist',
          expect: { anonymous: 401, other: 200, owner: 200 },
          actors: waiter,
          check: (who, res) => {
            const tickets = (res.body as { ticketId: string }[]).map((e) => e.ticketId);
            if (who === 'owner' && !tickets.includes(reserved.id)) return 'the waiter does not see their entry';
            if (who === 'other' && tickets.length) return "another user sees the waiter's entries";
            return undefined;
          },
        },
        {
          doc: 'GET /api/orders/waitlist/{ticketId}',
          what: "a ticket's line (the waiter also their place)",
          method: 'GET',
          path: `/api/orders/waitlist/${reserved.id}`,
          expect: { anonymous: 200, other: 200, owner: 200 },
          actors: waiter,
          check: (who, res) => {
            const line = res.body as { length: number; status?: string };
            if (line.length !== 1) return `length ${line.length}, expected 1`;
            if ((who === 'owner') !== (line.status === 'waiting')) return `status ${line.status} shown to ${who}`;
            return undefined;
          },
        },
        { doc: 'DELETE /api/orders/waitlist/{ticketId}', what: 'leave the line (other: not in it)', method: 'DELETE', path: `/api/orders/waitlist/${reserved.id}`, expect: { anonymous: 401, other: 404, owner: 204 }, actors: waiter },
        { doc: 'DELETE /api/orders/{id}', what: "cancel the buyer's order", method: 'DELETE', path: `/api/orders/${order.id}`, expect: { anonymous: 401, other: 403, owner: 204 }, actors: orderOwner },
        { doc: 'GET /api/orders/openapi.json', what: 'API document', method: 'GET', path: '/api/orders/openapi.json', expect: { anonymous: 200 }, actors: orderOwner },
        // Paid for only once the payments service knows it is cancelled (no charge is attempted).
        { doc: 'POST /api/payments', what: "pay for the buyer's cancelled order", method: 'POST', path: '/api/payments', body: { orderId: order.id, token: 'tok_visa' }, expect: { anonymous: 401, other: 403, owner: 400 }, actors: orderOwner },
        { doc: 'POST /api/payments/intents', what: "start a browser payment for the buyer's cancelled order", method: 'POST', path: '/api/payments/intents', body: { orderId: order.id }, expect: { anonymous: 401, other: 403, owner: 400 }, actors: orderOwner },
        { doc: 'GET /api/payments', what: "list the buyer's order's payments", method: 'GET', path: `/api/payments?orderId=${order.id}`, expect: { anonymous: 401, other: 403, owner: 200 }, actors: orderOwner },
        { doc: 'POST /api/payments/webhook', what: 'unsigned webhook (cookies mean nothing here)', method: 'POST', path: '/api/payments/webhook', body: { type: 'payment_intent.succeeded', data: { object: { metadata: { orderId: order.id } } } }, expect: { anonymous: 400, owner: 400, other: 400 }, actors: orderOwner },
        { doc: 'GET /api/payments/openapi.json', what: 'API document', method: 'GET', path: '/api/payments/openapi.json', expect: { anonymous: 200 }, actors: orderOwner },
        // Last: signing out drops the actors' cookies.
        {
          doc: 'POST /api/users/signout',
          what: 'sign out',
          method: 'POST',
          path: '/api/users/signout',
          expect: { anonymous: 200, owner: 200, other: 200 },
          actors: { owner: leaving[0], other: leaving[1] },
          check: (_who, res) => (JSON.stringify(res.body) === '{}' ? undefined : `body ${JSON.stringify(res.body)}`),
        },
      ];

      const table: (string | number)[][] = [];
      const wrong: string[] = [];
      for (const row of rows) {
        if (row.doc === 'POST /api/payments') {
          await eventually(async () => {
            const text = await (await fetch(`${stack.urlOf('payments-1')}/metrics`)).text();
            return sumMetric(text, 'events_handled_total', { subject: 'order.cancelled', outcome: 'ack' }) >= 1;
          });
        }
        const got: Record<string, string> = {};
        for (const who of ['anonymous', 'other', 'owner'] as Who[]) {
          const want = row.expect[who];
          if (want === undefined) continue;
          const actor = who === 'anonymous' ? anonymous : row.actors[who];
          const res = await actor.call(row.method, row.path, row.body);
          got[who] = String(res.status);
          if (res.status !== want) wrong.push(`${row.method} ${row.path} (${row.what}) as ${who}: ${res.status}, expected ${want} ${JSON.stringify(res.body)}`);
          else if (res.status >= 400 && errorContractProblems(res.body).length) wrong.push(`${row.method} ${row.path} as ${who}: not the error contract`);
          const extra = res.status === want && want < 300 ? row.check?.(who, res) : undefined;
          if (extra) wrong.push(`${row.method} ${row.path} as ${who}: ${extra}`);
        }
        table.push([row.doc, row.what, got.anonymous ?? '-', got.owner ?? '-', got.other ?? '-']);
      }
      for (const a of leaving) expect((await a.call<{ currentUser: unknown }>('GET', '/api/users/currentuser')).body.currentUser).toBeNull();
      report('authorization (route × user → status)', formatTable([['ROUTE', 'CASE', 'ANONYMOUS', 'OWNER', 'OTHER USER'], ...table]));
      expect(wrong).toEqual([]);

      // Every documented route is in the table.
      const documented: string[] = [];
      for (const prefix of Object.values(PREFIXES)) {
        const doc = (await rawRequest(base, { method: 'GET', path: `${prefix}/openapi.json` })).json as { paths: Record<string, object> };
        for (const [path, ops] of Object.entries(doc.paths)) for (const m of Object.keys(ops)) documented.push(`${m.toUpperCase()} ${path}`);
      }
      expect([...new Set(rows.map((r) => r.doc))].sort()).toEqual(documented.sort());
    });

    it('a signed-in user cannot act as another by naming their id in the body', async () => {
      const [victim, attacker] = await Promise.all([user(), user()]);
      const t = (await attacker.call<Ticket & { userId: string }>('POST', '/api/tickets', { title: 'Mine', price: 4, userId: victim.id })).body;
      expect(t.userId).toBe(attacker.id);
      const victimTicket = (await victim.call<Ticket>('POST', '/api/tickets', { title: 'Theirs', price: 4 })).body;
      expect((await attacker.call('PUT', `/api/tickets/${victimTicket.id}`, { title: 'Stolen', price: 1, userId: attacker.id })).status).toBe(403);
      expect((await attacker.call('GET', `/api/orders/${randomObjectId()}`)).status).toBe(404);
    });
  });

  it('sign-in is rate limited: the 6th attempt within a minute is a 429 with Retry-After, even with the right password', async () => {
    const target = await user();
    // Straight to the service as from one client address (the service trusts one proxy hop,
    // here the test): a counter of its own, whatever else this file signed in with.
    const client = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const attempt = (pw: string) =>
      rawRequest(stack.urlOf('auth-1'), {
        method: 'POST',
        path: '/api/users/signin',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': client, ...HTTPS },
        body: JSON.stringify({ email: target.email, password: pw }),
      });
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 6; i++) {
      const res = await attempt(`${wrongPassword}${i}`);
      statuses.push(res.status);
      if (res.status === 429) retryAfter = String(res.headers['retry-after']);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await attempt(password)).status).toBe(429);
  });

  it('no password, key, webhook secret or session cookie appears in any log line of the run', async () => {
    const secrets: Record<string, string> = { password, 'wrong password': wrongPassword, ...pemSecrets('session signing key', SESSION_KEYS.privateKeyPem), STRIPE_KEY, STRIPE_WEBHOOK_SECRET };
    actors.forEach((a, i) => Object.assign(secrets, cookieSecrets(`#${i}`, a.cookie)));
    for (let i = 0; i < 6; i++) secrets[`wrong password #${i}`] = `${wrongPassword}${i}`;
    expect(Object.keys(secrets).length).toBeGreaterThan(10);
    expect(stack.lines.length).toBeGreaterThan(50);
    expect(linesWithSecrets(stack.lines, secrets)).toEqual([]);
  });
});
