import { readPrice, singleLineTextProblem } from '@ticketing/common';
import { lookalikeStrings } from '@ticketing/dev-servers';
import fc from 'fast-check';
import type { RawResponse } from '../support/http';

/** Things created before the fuzzing so that "foreign" ids point at real documents. */
export interface Fixtures {
  /** A real user other than the owners below: the only valid session the fuzzer uses. */
  other: { id: string; email: string; cookie: string };
  /** The seller's email (signing up with it again is "Email in use"). */
  usedEmail: string;
  /** A ticket for sale owned by the seller (not by `other`). */
  freeTicketId: string;
  /** A ticket reserved by the buyer's order. */
  reservedTicketId: string;
  /** The buyer's order (not `other`'s), known to the payments service. */
  foreignOrderId: string;
}

/** One field of a JSON body: values that pass validation and values of a wrong type. */
export interface BodyField {
  name: string;
  valid: fc.Arbitrary<unknown>;
  wrong: fc.Arbitrary<unknown>;
}

export interface RouteSpec {
  /** `METHOD /path` as the OpenAPI document writes it (`{id}` for parameters). */
  doc: string;
  method: string;
  /** The request path for a given id-ish value (routes without a parameter ignore it). */
  path: (id: string) => string;
  /** Whether the route has a path parameter to fuzz. */
  hasId?: 'ticket' | 'order';
  /** requireAuth: a bad session must get 401 once the body has passed the parser. */
  auth: boolean;
  /** The JSON body's fields; [] for routes that read no body. */
  fields: BodyField[];
  /** The service's JSON body limit in bytes (a larger body is a 413). */
  limitBytes: number;
  /**
   * With `other`'s valid session and a VALID body, is the answer still an error? (True where
   * the only ids it can name are foreign, reserved or absent.) False: valid bodies are only
   * sent with bad sessions.
   */
  validBodyStill4xx: boolean;
  /** When a 2xx is a correct answer to junk, the problems with it (empty = fine); undefined = never 2xx. */
  allow2xx?: (res: RawResponse, sessionIsOther: boolean, fx: Fixtures) => string[];
}

const KB = 1024;
const hex24 = fc.stringMatching(/^[0-9a-f]{24}$/);

/** Values that are not strings. */
const notString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.jsonValue(), { maxKeys: 3 }),
);
/** Values that are not prices: wrong types, strings that are not plain decimals, amounts no card can be charged. */
const notPrice = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('1e3', '0x10', 'NaN', 'Infinity', '', ' 10', '+10', '-10', '010', '10.', '.5', '10.001', '１０', '10,00', '0.49'),
    fc.constantFrom(0, 0.01, 0.49, -1, 10.123, 1_000_000, 999_999.991, Number.MAX_SAFE_INTEGER),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.integer(), { maxLength: 3 }),
    fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.integer(), { maxKeys: 2 }),
  )
  .filter((v) => 'problem' in readPrice(v));

/** A title rule, as tickets applies it. */
const TITLE_RULE = { maxLength: 120, label: 'Title' };
/** Unicode titles that pass the rule: any graphemes (astral, combining, RTL, ZWJ sequences), one line, no outer space. */
const unicodeTitle = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((t) => singleLineTextProblem(t, TITLE_RULE) === undefined);
/** What no free-text field may accept: a valid text with a lone surrogate, a control character or outer whitespace spliced in, or too long. */
const LONE_OR_CONTROL = ['\ud800', '\udbff', '\udc00', '\udfff', '\u0000', '\u0007', '\t', '\n', '\r', '\u007f', '\u0085', '\u009f'];
const badText = fc.oneof(
  fc
    .tuple(unicodeTitle, fc.constantFrom(...LONE_OR_CONTROL), fc.nat())
    .map(([t, esc, at]) => {
      const chars = [...t];
      const i = at % (chars.length + 1);
      return [...chars.slice(0, i), esc, ...chars.slice(i)].join('');
    }),
  fc.tuple(unicodeTitle, fc.constantFrom(' ', '\u00a0', '\u3000', '\u2028', '\ufeff'), fc.boolean()).map(([t, space, front]) => (front ? space + t : t + space)),
  fc.constantFrom('😀'.repeat(121), '𠀀'.repeat(121), 'x'.repeat(121), '\ud800'.repeat(3), '', '   '),
);
/** Free text that is refused: the bad texts above and non-strings. */
const notText = fc.oneof(badText.filter((t) => singleLineTextProblem(t, TITLE_RULE) !== undefined), fc.constant('\ud83d'), fc.constant('a\u0000b'));

/** Strings (or other values) that are not a 24-hex id. */
const notAnId = fc.oneof(
  notString,
  fc.string({ maxLength: 30 }).filter((s) => !/^[0-9a-f]{24}$/i.test(s)),
  fc.constantFrom('', '0', '-1', 'null', 'undefined', 'g'.repeat(24), 'a'.repeat(23), 'a'.repeat(25), "' OR '1'='1", '{"$gt":""}'),
  // Look-alikes of a real id: padded, fullwidth or Arabic-Indic digits, 12 characters, percent-encoded…
  hex24.chain((id) => fc.constantFrom(...lookalikeStrings(id).map(([, v]) => v))),
);

/** An id in upper or mixed case: the same entity as its lower-case form. */
const anyCase = (id: string) => fc.constantFrom(id, id.toUpperCase(), [...id].map((c, i) => (i % 3 ? c : c.toUpperCase())).join(''));

const okAnswer = (check: (json: unknown) => string | undefined) => (res: RawResponse) => {
  if (res.status !== 200) return [`expected 200, got ${res.status}`];
  const problem = check(res.json);
  return problem ? [problem] : [];
};

/** A 200 whose `key` names one of the fixtures' (public) tickets; anything else is a problem. */
const showsFixtureTicket = (key: 'id' | 'ticketId') => (res: RawResponse, _other: unknown, f: Fixtures) =>
  okAnswer((j) => {
    const id = (j as Record<string, unknown> | undefined)?.[key];
    return id === f.freeTicketId || id === f.reservedTicketId ? undefined : `showed ${JSON.stringify(j)}`;
  })(res);

/** Every route of the four HTTP services (their OpenAPI documents list exactly these). */
export function routeSpecs(fx: Fixtures): RouteSpec[] {
  const email = fc.emailAddress().filter((e) => e.length <= 200);
  const password = fc.string({ unit: 'grapheme', minLength: 8, maxLength: 40 });
  const title = unicodeTitle;
  // Cents from the 0.50 minimum, as a number or as the reference client's decimal string.
  const price = fc.integer({ min: 50, max: 100_000 }).chain((c) => fc.constantFrom<number | string>(c / 100, (c / 100).toFixed(2)));
  const openApi = okAnswer((j) => (j && typeof j === 'object' && 'openapi' in j ? undefined : 'not an OpenAPI document'));
  return [
    // ---- auth ----
    {
      doc: 'POST /api/users/signup',
      method: 'POST',
      path: () => '/api/users/signup',
      auth: false,
      // A valid sign-up would succeed, so "valid" here is the email already in use.
      fields: [
        { name: 'email', valid: fc.constant(fx.usedEmail), wrong: fc.oneof(notString, notText) },
        { name: 'password', valid: password, wrong: fc.oneof(notString, fc.constantFrom('short', '😀'.repeat(129), 'password\ud800', '\udc00password')) },
      ],
      limitBytes: 4 * KB,
      validBodyStill4xx: true,
    },
    {
      doc: 'POST /api/users/signin',
      method: 'POST',
      path: () => '/api/users/signin',
      auth: false,
      fields: [
        { name: 'email', valid: fc.oneof(email, fc.constant(fx.usedEmail), fc.constant(fx.usedEmail.toUpperCase())), wrong: fc.oneof(notString, notText) },
        { name: 'password', valid: password, wrong: fc.oneof(notString, fc.constantFrom('', '😀'.repeat(129), 'password\ud800')) },
      ],
      limitBytes: 4 * KB,
      validBodyStill4xx: true,
    },
    {
      doc: 'POST /api/users/signout',
      method: 'POST',
      path: () => '/api/users/signout',
      auth: false,
      fields: [],
      limitBytes: 4 * KB,
      validBodyStill4xx: false,
      allow2xx: okAnswer((j) => (JSON.stringify(j) === '{}' ? undefined : `expected {}, got ${JSON.stringify(j)}`)),
    },
    {
      doc: 'GET /api/users/currentuser',
      method: 'GET',
      path: () => '/api/users/currentuser',
      auth: false,
      fields: [],
      limitBytes: 4 * KB,
      validBodyStill4xx: false,
      allow2xx: (res, sessionIsOther, f) =>
        okAnswer((j) => {
          const cu = (j as { currentUser?: { id?: string } | null } | undefined)?.currentUser;
          if (sessionIsOther) return cu?.id === f.other.id ? undefined : `expected the signed-in user, got ${JSON.stringify(j)}`;
          return cu === null ? undefined : `a bad session was taken for a user: ${JSON.stringify(j)}`;
        })(res),
    },
    {
      // Reads only the refresh cookie: the bad sessions carry none (401); `other`'s carries one,
      // which renews once, and then — reused by the fuzzer — is refused and revokes its sign-in.
      doc: 'POST /api/users/refresh',
      method: 'POST',
      path: () => '/api/users/refresh',
      auth: false,
      fields: [],
      limitBytes: 4 * KB,
      validBodyStill4xx: false,
      allow2xx: (res, sessionIsOther, f) =>
        okAnswer((j) => {
          const cu = (j as { currentUser?: { id?: string } | null } | undefined)?.currentUser;
          if (sessionIsOther) return cu?.id === f.other.id ? undefined : `renewed someone else: ${JSON.stringify(j)}`;
          return `a request without a refresh token renewed a session: ${JSON.stringify(j)}`;
        })(res),
    },
    { doc: 'GET /api/users/openapi.json', method: 'GET', path: () => '/api/users/openapi.json', auth: false, fields: [], limitBytes: 4 * KB, validBodyStill4xx: false, allow2xx: openApi },
    // ---- tickets ----
    {
      doc: 'GET /api/tickets',
      method: 'GET',
      path: () => '/api/tickets',
      auth: false,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      allow2xx: okAnswer((j) => (Array.isArray(j) ? undefined : 'expected an array')),
    },
    {
      doc: 'POST /api/tickets',
      method: 'POST',
      path: () => '/api/tickets',
      auth: true,
      fields: [
        { name: 'title', valid: title, wrong: fc.oneof(notString, notText) },
        { name: 'price', valid: price, wrong: notPrice },
      ],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
    },
    {
      doc: 'GET /api/tickets/{id}',
      method: 'GET',
      path: (id) => `/api/tickets/${id}`,
      hasId: 'ticket',
      auth: false,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      // The fixtures' tickets are public: showing them is right; anything else is a 404.
      allow2xx: showsFixtureTicket('id'),
    },
    {
      doc: 'PUT /api/tickets/{id}',
      method: 'PUT',
      path: (id) => `/api/tickets/${id}`,
      hasId: 'ticket',
      auth: true,
      fields: [
        { name: 'title', valid: title, wrong: fc.oneof(notString, notText) },
        { name: 'price', valid: price, wrong: notPrice },
      ],
      limitBytes: 16 * KB,
      validBodyStill4xx: true, // the ids are someone else's ticket, absent, or malformed
    },
    {
      doc: 'DELETE /api/tickets/{id}',
      method: 'DELETE',
      path: (id) => `/api/tickets/${id}`,
      hasId: 'ticket',
      auth: true,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: true, // someone else's ticket, absent, or malformed
    },
    {
      doc: 'GET /api/tickets/mine',
      method: 'GET',
      path: () => '/api/tickets/mine',
      auth: true,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      allow2xx: okAnswer((j) => (Array.isArray(j) && j.length === 0 ? undefined : `expected no tickets held by the fuzzing user, got ${JSON.stringify(j)}`)),
    },
    {
      doc: 'GET /api/tickets/listings',
      method: 'GET',
      path: () => '/api/tickets/listings',
      auth: true,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      allow2xx: okAnswer((j) => (Array.isArray(j) && j.length === 0 ? undefined : `expected no listings of the fuzzing user, got ${JSON.stringify(j)}`)),
    },
    {
      doc: 'GET /api/tickets/code-keys',
      method: 'GET',
      path: () => '/api/tickets/code-keys',
      auth: false,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      allow2xx: okAnswer((j) => (Array.isArray((j as { keys?: unknown } | undefined)?.keys) ? undefined : 'expected {keys: [...]}')),
    },
    {
      doc: 'GET /api/tickets/{id}/code',
      method: 'GET',
      path: (id) => `/api/tickets/${id}/code`,
      hasId: 'ticket',
      auth: true,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: true, // the fuzzing user holds no ticket: 403, or 404
    },
    {
      doc: 'POST /api/tickets/{id}/checkin',
      method: 'POST',
      path: (id) => `/api/tickets/${id}/checkin`,
      hasId: 'ticket',
      auth: true,
      fields: [{ name: 'code', valid: fc.string({ minLength: 1, maxLength: 200 }), wrong: notString }],
      limitBytes: 16 * KB,
      validBodyStill4xx: true, // the fuzzing user organizes no ticket: 403, or 404
    },
    { doc: 'GET /api/tickets/openapi.json', method: 'GET', path: () => '/api/tickets/openapi.json', auth: false, fields: [], limitBytes: 16 * KB, validBodyStill4xx: false, allow2xx: openApi },
    // ---- orders ----
    {
      doc: 'POST /api/orders',
      method: 'POST',
      path: () => '/api/orders',
      auth: true,
      // The reserved ticket in any case is still reserved (one canonical id).
      fields: [{ name: 'ticketId', valid: fc.oneof(anyCase(fx.reservedTicketId), hex24), wrong: notAnId }],
      limitBytes: 16 * KB,
      validBodyStill4xx: true, // reserved or unknown ticket
    },
    {
      doc: 'GET /api/orders',
      method: 'GET',
      path: () => '/api/orders',
      auth: true,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      allow2xx: okAnswer((j) => (Array.isArray(j) && j.length === 0 ? undefined : `expected no orders of the fuzzing user, got ${JSON.stringify(j)}`)),
    },
    {
      doc: 'POST /api/orders/waitlist',
      method: 'POST',
      path: () => '/api/orders/waitlist',
      auth: true,
      fields: [{ name: 'ticketId', valid: fc.oneof(anyCase(fx.reservedTicketId), hex24), wrong: notAnId }],
      limitBytes: 16 * KB,
      validBodyStill4xx: false, // joining the reserved ticket's line is a 201: valid bodies go with bad sessions only
    },
    {
      doc: 'GET /api/orders/waitlist',
      method: 'GET',
      path: () => '/api/orders/waitlist',
      auth: true,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      allow2xx: okAnswer((j) => (Array.isArray(j) && j.length === 0 ? undefined : `expected no waitlist entries of the fuzzing user, got ${JSON.stringify(j)}`)),
    },
    {
      doc: 'GET /api/orders/waitlist/{ticketId}',
      method: 'GET',
      path: (id) => `/api/orders/waitlist/${id}`,
      hasId: 'ticket',
      auth: false,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: false,
      // The fixtures' tickets have a (public) line; anything else is a 404.
      allow2xx: showsFixtureTicket('ticketId'),
    },
    {
      doc: 'DELETE /api/orders/waitlist/{ticketId}',
      method: 'DELETE',
      path: (id) => `/api/orders/waitlist/${id}`,
      hasId: 'ticket',
      auth: true,
      fields: [],
      limitBytes: 16 * KB,
      validBodyStill4xx: true, // the fuzzing user waits for nothing: 404
    },
    { doc: 'GET /api/orders/{id}', method: 'GET', path: (id) => `/api/orders/${id}`, hasId: 'order', auth: true, fields: [], limitBytes: 16 * KB, validBodyStill4xx: true },
    { doc: 'DELETE /api/orders/{id}', method: 'DELETE', path: (id) => `/api/orders/${id}`, hasId: 'order', auth: true, fields: [], limitBytes: 16 * KB, validBodyStill4xx: true },
    { doc: 'GET /api/orders/openapi.json', method: 'GET', path: () => '/api/orders/openapi.json', auth: false, fields: [], limitBytes: 16 * KB, validBodyStill4xx: false, allow2xx: openApi },
    // ---- payments ----
    {
      doc: 'POST /api/payments',
      method: 'POST',
      path: () => '/api/payments',
      auth: true,
      fields: [
        { name: 'orderId', valid: fc.oneof(anyCase(fx.foreignOrderId), hex24), wrong: notAnId },
        {
          name: 'token',
          valid: fc.constantFrom('tok_visa', 'tok_chargeDeclined', 'pm_card_visa', 'tok_unknown'),
          wrong: fc.oneof(notString, notText, fc.constantFrom(' tok_visa', 'constructor', '__proto__', 'tok_😀')),
        },
      ],
      limitBytes: 128 * KB,
      validBodyStill4xx: true, // someone else's order or an unknown one
    },
    {
      doc: 'POST /api/payments/intents',
      method: 'POST',
      path: () => '/api/payments/intents',
      auth: true,
      fields: [{ name: 'orderId', valid: fc.oneof(anyCase(fx.foreignOrderId), hex24), wrong: notAnId }],
      limitBytes: 128 * KB,
      validBodyStill4xx: true, // someone else's order or an unknown one
    },
    // Junk queries never name an order: always a 4xx.
    { doc: 'GET /api/payments', method: 'GET', path: () => '/api/payments', auth: true, fields: [], limitBytes: 128 * KB, validBodyStill4xx: false },
    {
      doc: 'POST /api/payments/webhook',
      method: 'POST',
      path: () => '/api/payments/webhook',
      auth: false,
      // Never correctly signed: whatever the event, the answer is 400.
      fields: [
        { name: 'type', valid: fc.constantFrom('payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded'), wrong: notString },
        { name: 'data', valid: fc.constant({ object: { id: 'pi_fake', metadata: { orderId: fx.foreignOrderId } } }), wrong: notString },
      ],
      limitBytes: 128 * KB,
      validBodyStill4xx: true,
    },
    { doc: 'GET /api/payments/openapi.json', method: 'GET', path: () => '/api/payments/openapi.json', auth: false, fields: [], limitBytes: 128 * KB, validBodyStill4xx: false, allow2xx: openApi },
  ];
}
