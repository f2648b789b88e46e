import express, { Router } from 'express';
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { BadRequestError, createServiceApp, requireAuth, TooManyRequestsError, validate } from '../src';
import { generateSessionKeyPair, sessionCookie, signin, signTestSessionToken, testSessionKeys } from '@ticketing/dev-servers';

const lines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().trim().split('\n'));
      cb();
    },
  }),
);

const router = Router();
router.get('/api/me', requireAuth, (req, res) => {
  res.send({ currentUser: req.currentUser });
});
router.post(
  '/api/things',
  validate({
    body: z.object({
      name: z.string({ error: 'name is required' }).trim().min(1, 'name is required'),
      n: z.number({ error: 'n must be an integer' }).int('n must be an integer'),
    }),
  }),
  (req: express.Request, res: express.Response) => {
    res.status(201).send({ name: req.body.name });
  },
);
router.get('/api/boom', () => {
  throw new Error('secret internals');
});
router.get('/api/async-boom', async () => {
  await Promise.resolve();
  throw new Error('async internals');
});
router.get('/api/bad', () => {
  throw new BadRequestError('Ticket is reserved', 'ticketId');
});
router.get('/api/slow-down', () => {
  throw new TooManyRequestsError(42);
});

const app = createServiceApp({ logger, sessionKeys: testSessionKeys(), routers: [router] });

describe('createServiceApp', () => {
  it('answers an unknown error with 500, a request id, and a structured log line', async () => {
    for (const path of ['/api/boom', '/api/async-boom']) {
      const res = await request(app).get(path).set('x-request-id', 'req-123').expect(500);
      expect(res.body).toEqual({ errors: [{ message: 'Internal server error (request id req-123)' }], requestId: 'req-123' });
      expect(JSON.stringify(res.body)).not.toContain('internals');
    }
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'unhandled error');
    expect(logged.length).toBeGreaterThanOrEqual(2);
    expect(logged[0]).toMatchObject({ level: 50, requestId: 'req-123', err: { message: 'secret internals' } });
  });

  it('generates a request id when none (or a hostile one) is given', async () => {
    const res = await request(app).get('/api/boom').set('x-request-id', '<script>').expect(500);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a CustomError gives its status, field and headers', async () => {
    expect((await request(app).get('/api/bad').expect(400)).body).toEqual({ errors: [{ message: 'Ticket is reserved', field: 'ticketId' }] });
    const limited = await request(app).get('/api/slow-down').expect(429);
    expect(limited.headers['retry-after']).toBe('42');
    expect(limited.body.errors[0].message).toMatch(/too many/i);
  });

  it('validation errors list each field', async () => {
    const res = await request(app).post('/api/things').send({ name: '  ' }).expect(400);
    expect(res.body.errors).toEqual([
      { message: 'name is required', field: 'name' },
      { message: 'n must be an integer', field: 'n' },
    ]);
    await request(app).post('/api/things').send({ name: 'a', n: 3 }).expect(201);
  });

  it('malformed JSON → 400, oversized body → 413, both in the error contract', async () => {
    const bad = await request(app).post('/api/things').set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(bad.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
    const big = await request(app).post('/api/things').send({ name: 'x'.repeat(20_000), n: 1 }).expect(413);
    expect(big.body).toEqual({ errors: [{ message: 'Request body too large' }] });
  });

  it('rejects MongoDB operators and prototype keys in body and query', async () => {
    await request(app).post('/api/things').send({ name: { $gt: '' }, n: 1 }).expect(400);
    await request(app).post('/api/things').set('Content-Type', 'application/json').send('{"__proto__":{"admin":true},"name":"a","n":1}').expect(400);
    await request(app).get('/api/me?$where=1').expect(400);
  });

  it('unknown routes are 404 in the error contract', async () => {
    expect((await request(app).get('/nope').expect(404)).body).toEqual({ errors: [{ message: 'Route not found' }] });
  });

  it('sets security headers', async () => {
    const res = await request(app).get('/nope');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('currentUser + requireAuth', () => {
  const user = { id: 'abc123', email: 'a@b.co' };

  it('a valid session is the current user', async () => {
    const res = await request(app).get('/api/me').set('Cookie', signin(user)).expect(200);
    expect(res.body.currentUser).toMatchObject(user);
  });

  const now = () => Math.floor(Date.now() / 1000);
  const badTokens: Record<string, () => string> = {
    expired: () => signin(user, { expiresInSeconds: -10 })[0],
    'wrong key': () => signin(user, { pair: generateSessionKeyPair() })[0],
    'alg none': () => {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      return sessionCookie(`${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...user, iat: now(), exp: now() + 60 })}.`);
    },
    tampered: () => {
      const token = signTestSessionToken({ ...user, exp: now() + 60 });
      const [h, , s] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ id: 'admin', email: 'x@y.z', exp: now() + 60 })).toString('base64url');
      return sessionCookie(`${h}.${forged}.${s}`);
    },
    garbage: () => 'session=%%%not-base64',
    'not json': () => `session=${Buffer.from('nope').toString('base64')}`,
    'jwt not a string': () => `session=${Buffer.from(JSON.stringify({ jwt: { $gt: '' } })).toString('base64')}`,
  };
  it.each(Object.keys(badTokens))('%s session → signed out (401), never 500', async (kind) => {
    const res = await request(app).get('/api/me').set('Cookie', badTokens[kind]()).expect(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  });
});
