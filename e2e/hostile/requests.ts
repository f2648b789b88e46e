import { idUrlSpellings } from '@ticketing/dev-servers';
import fc from 'fast-check';
import type { SessionVariant } from '../support/sessions';
import type { RouteSpec } from './routes';

export type BodyMode =
  | 'none'
  | 'valid'
  | 'malformed'
  | 'wrongTypes'
  | 'missing'
  | 'extra'
  | 'huge'
  | 'operator'
  | 'proto'
  | 'deepNesting'
  | 'textPlain'
  | 'form'
  | 'badCharset'
  | 'badEncoding';
export type QueryMode = 'none' | 'junk' | 'unsafe';
export type IdKind = 'none' | 'malformed' | 'absent' | 'fixture';

export interface HostileRequest {
  route: RouteSpec;
  session: SessionVariant;
  /** The session is the fuzzing user's valid one (every other variant is "signed out"). */
  sessionIsOther: boolean;
  bodyMode: BodyMode;
  queryMode: QueryMode;
  idKind: IdKind;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** One line describing a request, for failure reports. */
export function describeRequest(r: HostileRequest): string {
  const body = r.body === undefined ? '' : ` body(${r.body.length} bytes)=${String(r.body).slice(0, 160)}`;
  return `${r.method} ${r.path.slice(0, 120)} [session: ${r.session.label}; body: ${r.bodyMode}; query: ${r.queryMode}; id: ${r.idKind}]${body}`;
}

/**
 * The status a hostile request must get whatever the route, where it is certain: what the
 * edge refuses comes first, then the body parser and the key guard, then requireAuth.
 * Undefined: any 4xx.
 */
export function expectedStatus(r: HostileRequest): number | undefined {
  // The edge (nginx, as the ingress in production) refuses a path that is not valid
  // percent-encoding or holds a NUL byte before any service sees the request.
  const path = r.path.split('?')[0];
  if (!decodable(path) || /%00/.test(path)) return 400;
  // Generated values (fc.jsonValue) may themselves hold `$…` or `__proto__` keys: the key guard then answers first.
  if (r.body !== undefined && r.headers['content-type'] === 'application/json' && !r.headers['content-encoding'] && bodyHasUnsafeKey(String(r.body))) {
    return 400;
  }
  switch (r.bodyMode) {
    case 'malformed':
    case 'operator':
    case 'proto':
    case 'deepNesting':
      return 400;
    case 'huge':
      return 413;
    case 'badCharset': // 415, or 400 when the charset exists but garbles the JSON
    case 'badEncoding':
      return undefined;
    default:
  }
  if (r.queryMode === 'unsafe') return 400;
  if (r.route.auth && !r.sessionIsOther) return 401;
  return undefined;
}

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether the JSON text holds a key the services' guard refuses (same rule: `$…`, prototype keys, nesting > 20). */
function bodyHasUnsafeKey(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > 20) return true;
    if (Array.isArray(v)) return v.some((x) => walk(x, depth + 1));
    if (v && typeof v === 'object') return Object.keys(v).some((k) => k.startsWith('$') || UNSAFE.has(k) || walk((v as Record<string, unknown>)[k], depth + 1));
    return false;
  };
  return walk(value, 0);
}

const OPERATORS: unknown[] = [
  { $gt: '' },
  { $ne: null },
  { $regex: '.*' },
  { $where: 'sleep(1000) || true' },
  { $exists: true },
  { $in: ['a', 'b'] },
  { $expr: { $eq: [1, 1] } },
  { nested: { deeper: { $gt: 0 } } },
];

const hex24 = fc.stringMatching(/^[0-9a-f]{24}$/);

/** Path segments that are not ids (never empty, never a real sub-route such as `openapi.json`). */
const malformedId = fc.oneof(
  fc
    .string({ minLength: 1, maxLength: 30 })
    .map(encodeURIComponent)
    .filter((s) => !/^[0-9a-f]{24}$/i.test(s) && !['openapi.json', 'docs', '.', '..'].includes(s)),
  fc.constantFrom(
    '%24gt',
    '$gt',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '%E0%A4%A',
    '%',
    'null',
    'undefined',
    '-1',
    'a'.repeat(25),
    'G'.repeat(24),
    '%7B%22%24gt%22%3A%22%22%7D',
    '__proto__',
    'constructor',
    `${'0'.repeat(24)}%00`,
  ),
  // Look-alikes of a real id as they go on the wire: padded, fullwidth digits, 12 characters, double-encoded…
  hex24.chain((id) => fc.constantFrom(...idUrlSpellings(id).filter((s) => !s.sameEntity).map((s) => s.encoded))),
);

/** A fixture's id spelled in another case (or percent-encoded): the same entity, so the same answers. */
const sameIdSpelling = (id: string) => fc.constantFrom(...idUrlSpellings(id).filter((s) => s.sameEntity).map((s) => s.encoded));

const queryJunk = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constantFrom('limit', 'before', 'page', 'foo', 'a[b]', '__proto__[x]', 'limit[$gt]'), fc.string({ maxLength: 12 })),
      fc.tuple(fc.constant('limit'), fc.constantFrom('0', '201', '-1', '1e2', '1.5', '999999', 'abc', '')),
      fc.tuple(fc.constant('before'), hex24.chain((id) => fc.constantFrom(...idUrlSpellings(id).map((s) => decodeURIComponentSafe(s.encoded))))),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, '[').replace(/%5D/g, ']').replace(/%24/g, '$')}=${encodeURIComponent(v)}`).join('&'));

/** The decoded form of an encoded spelling (queryJunk encodes again); malformed encodings stay as written. */
function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const queryUnsafe = fc.constantFrom('$where=1', '%24gt=1', '__proto__=x', 'constructor=1', 'prototype=polluted', 'a=1&$ne=1');

/** A JSON object text with `extra` raw members spliced in (keys JSON.stringify cannot write as own keys). */
function withRawMembers(obj: Record<string, unknown>, members: string[]): string {
  const base = JSON.stringify(obj);
  const inner = base.slice(1, -1);
  return `{${[...members, ...(inner ? [inner] : [])].join(',')}}`;
}

/** A record of every field's valid value. */
function validRecord(route: RouteSpec): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(Object.fromEntries(route.fields.map((f) => [f.name, f.valid])));
}

function invalidObject(route: RouteSpec, kind: 'wrongTypes' | 'missing'): fc.Arbitrary<Record<string, unknown>> {
  if (route.fields.length === 0) return fc.constant({});
  return fc.tuple(validRecord(route), fc.subarray(route.fields, { minLength: 1 })).chain(([rec, picked]) => {
    if (kind === 'missing') {
      const out = { ...rec };
      for (const f of picked) delete out[f.name];
      return fc.constant(out);
    }
    return fc.tuple(...picked.map((f) => f.wrong)).map((wrongs) => {
      const out = { ...rec };
      picked.forEach((f, i) => (out[f.name] = wrongs[i]));
      return out;
    });
  });
}

const JSON_TYPE = { 'content-type': 'application/json' };

interface BodyPart {
  mode: BodyMode;
  headers: Record<string, string>;
  body?: string | Buffer;
}

function bodyArb(route: RouteSpec, mode: BodyMode): fc.Arbitrary<BodyPart> {
  const json = (a: fc.Arbitrary<string>) => a.map((body) => ({ mode, headers: JSON_TYPE, body }));
  const someKey = route.fields.length ? fc.constantFrom(...route.fields.map((f) => f.name)) : fc.constant('anything');
  switch (mode) {
    case 'none':
      return fc.constant({ mode, headers: {} });
    case 'valid':
      return json(validRecord(route).map((r) => JSON.stringify(r)));
    case 'malformed':
      return json(
        fc
          .oneof(
            fc.string({ maxLength: 40 }),
            fc.constantFrom('{', '{"a":', '{"title": "x",}', "{'a': 1}", 'NaN', '[1,2', '{"a":1}}', 'undefined', 'null', '"str"', '123', 'true', '{"a":01}', '{"a":"\\x41"}', '{"a" 1}', '\u0000{}'),
            validRecord(route).map((r) => JSON.stringify(r).slice(0, -1)),
          )
          .filter((s) => {
            if (s.trim() === '') return false; // an empty body is "no body", not malformed
            try {
              const v: unknown = JSON.parse(s);
              return v === null || typeof v !== 'object'; // strict mode refuses primitives
            } catch {
              return true;
            }
          }),
      );
    case 'wrongTypes':
    case 'missing':
      return json(invalidObject(route, mode).map((o) => JSON.stringify(o)));
    case 'extra':
      return json(
        fc
          .tuple(
            invalidObject(route, route.fields.length ? 'missing' : 'wrongTypes'),
            fc.dictionary(
              fc.oneof(fc.constantFrom('userId', 'version', 'orderId', 'status', 'id', '_id', 'isAdmin', 'role', 'passwordHash', 'expiresAt'), fc.stringMatching(/^x[a-zA-Z0-9]{0,10}$/)),
              fc.jsonValue({ maxDepth: 2 }),
              { minKeys: 1, maxKeys: 5 },
            ),
          )
          .map(([o, extra]) => JSON.stringify({ ...extra, ...o })),
      );
    case 'huge':
      return json(
        fc.tuple(validRecord(route), fc.integer({ min: 1, max: 64 * 1024 })).map(([r, over]) => JSON.stringify({ ...r, pad: 'x'.repeat(route.limitBytes + over) })),
      );
    case 'operator':
      return json(
        fc.tuple(validRecord(route), someKey, fc.constantFrom(...OPERATORS), fc.boolean()).map(([r, key, op, topLevel]) =>
          topLevel ? JSON.stringify({ ...r, $where: 'this.price > 0' }) : JSON.stringify({ ...r, [key]: op }),
        ),
      );
    case 'proto':
      return json(
        fc.tuple(validRecord(route), someKey, fc.integer({ min: 0, max: 5 })).map(([r, key, which]) => {
          switch (which) {
            case 0:
              return withRawMembers(r, ['"__proto__":{"polluted":"yes","isAdmin":true}']);
            case 1:
              return withRawMembers(r, ['"constructor":{"prototype":{"polluted":"yes"}}']);
            case 2:
              return withRawMembers({ ...r, [key]: undefined }, [`${JSON.stringify(key)}:{"__proto__":{"polluted":"yes"}}`]);
            case 3:
              return `[${withRawMembers(r, ['"__proto__":{"polluted":"yes"}'])}]`;
            case 4:
              return withRawMembers(r, ['"nested":[{"constructor":{"prototype":{"polluted":"yes"}}}]']);
            default:
              return withRawMembers(r, ['"prototype":{"polluted":"yes"}']);
          }
        }),
      );
    case 'deepNesting':
      return json(
        fc.tuple(fc.integer({ min: 25, max: Math.min(5_000, Math.floor(route.limitBytes / 8)) }), fc.boolean()).map(([n, arrays]) =>
          arrays ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`,
        ),
      );
    case 'textPlain':
      return validRecord(route).map((r) => ({ mode, headers: { 'content-type': 'text/plain' }, body: JSON.stringify(r) }));
    case 'form':
      return fc
        .constantFrom('email[$gt]=&password[$ne]=x', 'title=x&price=1', 'ticketId[$ne]=1', '__proto__[polluted]=yes', 'a=1')
        .map((body) => ({ mode, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }));
    case 'badCharset':
      return fc
        .tuple(validRecord(route), fc.constantFrom('ebcdic', 'x-unknown', 'latin1', 'iso-8859-1', 'utf-32be'))
        .map(([r, charset]) => ({ mode, headers: { 'content-type': `application/json; charset=${charset}` }, body: JSON.stringify(r) }));
    case 'badEncoding':
      return fc
        .tuple(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'x-unknown'))
        .map(([bytes, encoding]) => ({ mode, headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: Buffer.from(bytes) }));
  }
}

/**
 * Hostile requests for one route: a session (mostly bad ones), a path id (malformed, absent
 * or a fixture's), junk or unsafe query strings, and a body that is wrong in one way or
 * another. A valid body is sent only where the answer must still be an error.
 */
export function hostileRequest(
  route: RouteSpec,
  sessions: { bad: SessionVariant[]; other: SessionVariant },
  fixtureIds: { ticket: string[]; order: string[] },
): fc.Arbitrary<HostileRequest> {
  const bodyModes: BodyMode[] = route.fields.length
    ? ['none', 'valid', 'malformed', 'wrongTypes', 'missing', 'extra', 'huge', 'operator', 'proto', 'deepNesting', 'textPlain', 'form', 'badCharset', 'badEncoding']
    : ['none', 'none', 'none', 'malformed', 'huge', 'operator', 'proto', 'deepNesting', 'textPlain', 'badCharset', 'badEncoding'];
  const session = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...sessions.bad).map((s) => ({ s, other: false })) },
    { weight: 2, arbitrary: fc.constant({ s: sessions.other, other: true }) },
  );
  const idPart: fc.Arbitrary<{ kind: IdKind; id: string }> = route.hasId
    ? fc.oneof(
        { weight: 3, arbitrary: malformedId.map((id) => ({ kind: 'malformed' as const, id })) },
        { weight: 2, arbitrary: hex24.map((id) => ({ kind: 'absent' as const, id })) },
        { weight: 1, arbitrary: fc.constantFrom(...fixtureIds[route.hasId]).map((id) => ({ kind: 'fixture' as const, id })) },
        { weight: 1, arbitrary: fc.constantFrom(...fixtureIds[route.hasId]).chain(sameIdSpelling).map((id) => ({ kind: 'fixture' as const, id })) },
      )
    : fc.constant({ kind: 'none' as const, id: '' });
  const query = fc.oneof(
    { weight: 4, arbitrary: fc.constant({ mode: 'none' as const, q: '' }) },
    { weight: 2, arbitrary: queryJunk.map((q) => ({ mode: 'junk' as const, q })) },
    { weight: 1, arbitrary: queryUnsafe.map((q) => ({ mode: 'unsafe' as const, q })) },
  );
  return fc.tuple(session, idPart, query, fc.constantFrom(...bodyModes)).chain(([sess, id, q, requestedMode]) => {
    // A valid body goes only where it must still fail: signed out, or ids that are not ours.
    const mode: BodyMode = requestedMode === 'valid' && !(route.auth && !sess.other) && !route.validBodyStill4xx ? 'missing' : requestedMode;
    return fc.tuple(bodyArb(route, mode), fc.option(fc.stringMatching(/^[ -~]{0,80}$/), { nil: undefined })).map(([b, requestId]): HostileRequest => ({
      route,
      session: sess.s,
      sessionIsOther: sess.other,
      bodyMode: b.mode,
      queryMode: q.mode,
      idKind: id.kind,
      method: route.method,
      path: `${route.path(id.id)}${q.q ? `?${q.q}` : ''}`,
      headers: {
        ...b.headers,
        ...(sess.s.cookie ? { cookie: sess.s.cookie } : {}),
        ...(requestId !== undefined ? { 'x-request-id': requestId } : {}),
      },
      body: b.body,
    }));
  });
}

/** Requests to paths no service serves, with every method: 404 in the error contract. */
export const unknownRouteRequest = (sessions: { bad: SessionVariant[] }): fc.Arbitrary<Omit<HostileRequest, 'route'>> =>
  fc
    .tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
      fc.constantFrom('/api/users', '/api/tickets', '/api/orders', '/api/payments'),
      fc.stringMatching(/^zz[a-z0-9]{0,10}$/),
      fc.constantFrom(...sessions.bad),
    )
    .map(([method, prefix, junk, session]): Omit<HostileRequest, 'route'> => ({
      session,
      sessionIsOther: false,
      bodyMode: 'none' as const,
      queryMode: 'none' as const,
      idKind: 'none' as const,
      method,
      path: `${prefix}/${junk}/${junk}`,
      headers: session.cookie ? { cookie: session.cookie } : {},
    }));
