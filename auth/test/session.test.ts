import { createHmac } from 'node:crypto';
import { verifySessionToken } from '@ticketing/common';
import { generateSessionKeyPair, sessionCookie, signin, signTestSessionToken, testSessionKey, testSessionKeys, useServiceTestEnv } from '@ticketing/dev-servers';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { authTestOptions, buildApp, credentials, jwtFromSetCookie, sessionPair } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions('auth_session'));

const setCookieOf = (res: request.Response): string => {
  const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('session='));
  if (!header) throw new Error('no session cookie');
  return header;
};

describe('session cookie and token', () => {
  it('is HttpOnly, SameSite=Lax, path /, not Secure outside production, and expires with the sign-in', async () => {
    const { app } = buildApp(env);
    const res = await request(app).post('/api/users/signup').send(credentials()).expect(201);
    const cookie = setCookieOf(res).toLowerCase();
    expect(cookie).toContain('httponly');
    expect(cookie).toContain('samesite=lax');
    expect(cookie).toContain('path=/');
    expect(cookie).not.toContain('secure');
    expect(cookie).toMatch(/expires=/);
  });

  it('is Secure in production mode (behind a TLS-terminating proxy)', async () => {
    const { app } = buildApp(env, { env: { NODE_ENV: 'production' } });
    const up = await request(app).post('/api/users/signup').set('X-Forwarded-Proto', 'https').send(credentials()).expect(201);
    const cookie = setCookieOf(up).toLowerCase();
    expect(cookie).toMatch(/;\s*secure/);
    expect(cookie).toContain('httponly');
    expect(cookie).toContain('samesite=lax');
  });

  it('the token is ES256 with the signing key id, carries id, email, sid, iat, exp with exp − iat = the configured lifetime (default 15 min)', async () => {
    for (const lifetime of [900, 1234]) {
      const refreshLifetime = 7200;
      const { app } = buildApp(env, {
        env: lifetime === 900 ? { REFRESH_LIFETIME_SECONDS: String(refreshLifetime) } : { SESSION_LIFETIME_SECONDS: String(lifetime), REFRESH_LIFETIME_SECONDS: String(refreshLifetime) },
      });
      const creds = credentials();
      const up = await request(app).post('/api/users/signup').send(creds).expect(201);
      const inn = await request(app).post('/api/users/signin').send(creds).expect(200);
      for (const res of [up, inn]) {
        const token = jwtFromSetCookie(res.headers['set-cookie']);
        expect(jwt.decode(token, { complete: true })?.header).toMatchObject({ alg: 'ES256', kid: testSessionKey().kid });
        const payload = verifySessionToken(token, testSessionKeys())!;
        expect(Object.keys(payload).sort()).toEqual(['email', 'exp', 'iat', 'id', 'sid']);
        expect(payload.exp! - payload.iat!).toBe(lifetime);
        // The cookie lives as long as the sign-in (so sign-out can name it after the token expired).
        const expires = Date.parse(/expires=([^;]+)/i.exec(setCookieOf(res))![1]) / 1000;
        expect(Math.abs(expires - (payload.iat! + refreshLifetime))).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('GET /api/users/currentuser', () => {
  const { app } = buildApp(env);

  it('without a cookie: {currentUser: null}', async () => {
    const res = await request(app).get('/api/users/currentuser').expect(200);
    expect(res.body).toEqual({ currentUser: null });
  });

  it('after sign-up and after sign-in: the user with iat and exp (not the sign-in id)', async () => {
    const creds = credentials();
    const up = await request(app).post('/api/users/signup').send(creds).expect(201);
    const me = await request(app).get('/api/users/currentuser').set('Cookie', sessionPair(up.headers['set-cookie'])).expect(200);
    expect(me.body.currentUser).toMatchObject({ id: up.body.id, email: creds.email });
    expect(typeof me.body.currentUser.iat).toBe('number');
    expect(typeof me.body.currentUser.exp).toBe('number');
    expect(me.body.currentUser.sid).toBeUndefined();

    const inn = await request(app).post('/api/users/signin').send(creds).expect(200);
    const me2 = await request(app).get('/api/users/currentuser').set('Cookie', sessionPair(inn.headers['set-cookie'])).expect(200);
    expect(me2.body.currentUser).toMatchObject({ id: up.body.id, email: creds.email });
  });

  const user = { id: '66a1f0c2e4b0a1b2c3d4e5f6', email: 'victim@test.example' };
  const now = () => Math.floor(Date.now() / 1000);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const badCookies: Record<string, () => string[] | string> = {
    expired: () => signin(user, { expiresInSeconds: -10 }),
    'signed with another key': () => signin(user, { pair: generateSessionKeyPair() }),
    'signed with another key under our kid': () => signin(user, { pair: { ...generateSessionKeyPair(), kid: testSessionKey().kid } }),
    'alg none': () => sessionCookie(`${b64({ alg: 'none', typ: 'JWT', kid: testSessionKey().kid })}.${b64({ ...user, iat: now(), exp: now() + 60 })}.`),
    'HS256 with the public key as secret': () => {
      const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: testSessionKey().kid })}.${b64({ ...user, iat: now(), exp: now() + 60 })}`;
      return sessionCookie(`${input}.${createHmac('sha256', testSessionKey().publicKeyPem).update(input).digest('base64url')}`);
    },
    'tampered payload': () => {
      const [h, , s] = signTestSessionToken({ ...user, exp: now() + 60 }).split('.');
      return sessionCookie(`${h}.${b64({ id: 'admin', email: 'admin@test.example', exp: now() + 60 })}.${s}`);
    },
    'tampered signature': () => {
      const token = signTestSessionToken({ ...user, exp: now() + 60 });
      return sessionCookie(`${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`);
    },
    'payload without email': () => sessionCookie(signTestSessionToken({ id: user.id, exp: now() + 60 })),
    'not base64 JSON': () => 'session=%%%not-base64',
    'jwt not a string': () => `session=${Buffer.from(JSON.stringify({ jwt: { $gt: '' } })).toString('base64')}`,
  };
  it.each(Object.keys(badCookies))('%s token → {currentUser: null}', async (kind) => {
    const res = await request(app).get('/api/users/currentuser').set('Cookie', [badCookies[kind]()].flat()).expect(200);
    expect(res.body).toEqual({ currentUser: null });
  });

  it('a valid token signed with the signing key is accepted (control for the cases above)', async () => {
    const res = await request(app).get('/api/users/currentuser').set('Cookie', signin(user)).expect(200);
    expect(res.body.currentUser).toMatchObject(user);
  });
});

describe('POST /api/users/signout', () => {
  const { app } = buildApp(env);

  it('200 {} and an expired, emptied session cookie; the old cookie jar is signed out', async () => {
    const agent = request.agent(app);
    await agent.post('/api/users/signup').send(credentials()).expect(201);
    expect((await agent.get('/api/users/currentuser').expect(200)).body.currentUser).not.toBeNull();

    const res = await agent.post('/api/users/signout').expect(200);
    expect(res.body).toEqual({});
    const cookie = setCookieOf(res).toLowerCase();
    expect(cookie).toMatch(/^session=;/);
    expect(cookie).toContain('expires=thu, 01 jan 1970 00:00:00 gmt');
    expect(cookie).toContain('httponly');
    expect((await agent.get('/api/users/currentuser').expect(200)).body).toEqual({ currentUser: null });
  });

  it('works without a session too', async () => {
    expect((await request(app).post('/api/users/signout').expect(200)).body).toEqual({});
  });
});
