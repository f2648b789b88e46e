import { verifySessionToken } from '@ticketing/common';
import { sessionCookie, signTestSessionToken, testSessionKeys, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { SessionFamily } from '../src/models/session-family';
import { authTestOptions, buildApp, credentials, jwtFromSetCookie, refreshPair, sessionPair } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions('auth_refresh'));

const REFRESH = '/api/users/refresh';
const refreshCookieOf = (res: request.Response) => ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('refresh='));
const now = () => Math.floor(Date.now() / 1000);

describe('refresh token', () => {
  const { app, lines } = buildApp(env);

  /** Signs up a new user: their session and refresh cookies. */
  async function signUp() {
    const res = await request(app).post('/api/users/signup').send(credentials()).expect(201);
    return { id: res.body.id as string, session: sessionPair(res.headers['set-cookie']), refresh: refreshPair(res.headers['set-cookie'])!, res };
  }
  const refresh = (cookie: string | undefined) => request(app).post(REFRESH).set('Cookie', cookie ? [cookie] : []);

  it('sign-up and sign-in set it in an HttpOnly, SameSite=Strict cookie scoped to the refresh route, not Secure outside production', async () => {
    const { res } = await signUp();
    const cookie = refreshCookieOf(res)!.toLowerCase();
    expect(cookie).toContain('httponly');
    expect(cookie).toContain('samesite=strict');
    expect(cookie).toContain('path=/api/users/refresh');
    expect(cookie).not.toContain('secure');
    expect(cookie).toMatch(/expires=/);
  });

  it('is Secure in production mode', async () => {
    const secure = buildApp(env, { env: { NODE_ENV: 'production' } }).app;
    const res = await request(secure).post('/api/users/signup').set('X-Forwarded-Proto', 'https').send(credentials()).expect(201);
    expect(refreshCookieOf(res)!.toLowerCase()).toMatch(/;\s*secure/);
    // Over plain HTTP a Secure cookie is never sent (the token would travel in clear text).
    const plain = await request(secure).post('/api/users/signup').send(credentials()).expect(201);
    expect(refreshCookieOf(plain)).toBeUndefined();
  });

  it('is stored only as a hash: the token appears nowhere in the database', async () => {
    const { refresh: pair } = await signUp();
    const token = pair.slice('refresh='.length);
    const [sid, secret] = token.split('.');
    const family = await SessionFamily.findById(sid).lean();
    expect(family).not.toBeNull();
    const stored = JSON.stringify(family);
    expect(stored).not.toContain(secret);
    expect(family!.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('renews: a new session token for the same user and sign-in, and a new refresh token', async () => {
    const user = await signUp();
    const res = await refresh(user.refresh).expect(200);
    expect(res.body.currentUser).toMatchObject({ id: user.id });
    const before = verifySessionToken(jwtFromSetCookie(user.res.headers['set-cookie']), testSessionKeys())!;
    const after = verifySessionToken(jwtFromSetCookie(res.headers['set-cookie']), testSessionKeys())!;
    expect(after).toMatchObject({ id: user.id, email: before.email, sid: before.sid });
    const next = refreshPair(res.headers['set-cookie']);
    expect(next).toBeDefined();
    expect(next).not.toBe(user.refresh);
    // The renewed session works where the expired one did not.
    const expired = sessionCookie(signTestSessionToken({ id: user.id, email: before.email, sid: before.sid, iat: now() - 1000, exp: now() - 100 }));
    expect((await request(app).get('/api/users/currentuser').set('Cookie', expired).expect(200)).body.currentUser).toBeNull();
    expect((await request(app).get('/api/users/currentuser').set('Cookie', sessionPair(res.headers['set-cookie'])).expect(200)).body.currentUser).toMatchObject({ id: user.id });
    // And the successor renews in turn.
    await refresh(next).expect(200);
  });

  it('reusing a rotated token revokes the whole sign-in: the reused and the current token both fail, both cookies are cleared', async () => {
    const user = await signUp();
    const second = refreshPair((await refresh(user.refresh).expect(200)).headers['set-cookie']);
    const replay = await refresh(user.refresh).expect(401);
    expect(replay.body).toEqual({ errors: [{ message: 'Not authorized' }] });
    const cleared = ([] as string[]).concat(replay.headers['set-cookie'] ?? []).map((c) => c.toLowerCase());
    expect(cleared.find((c) => c.startsWith('refresh='))).toMatch(/^refresh=;.*expires=thu, 01 jan 1970/);
    expect(cleared.find((c) => c.startsWith('session='))).toMatch(/^session=;/);
    await refresh(second).expect(401);
    const family = await SessionFamily.findById(user.refresh.slice('refresh='.length).split('.')[0]).lean();
    expect(family).toMatchObject({ revokedReason: 'reuse' });
    expect(lines.some((l) => l.includes('refresh token reused'))).toBe(true);
  });

  it('another sign-in of the same user is another family, untouched by that revocation', async () => {
    const creds = credentials();
    await request(app).post('/api/users/signup').send(creds).expect(201);
    const a = refreshPair((await request(app).post('/api/users/signin').send(creds).expect(200)).headers['set-cookie']);
    const b = refreshPair((await request(app).post('/api/users/signin').send(creds).expect(200)).headers['set-cookie']);
    await refresh(a).expect(200);
    await refresh(a).expect(401); // reuse: family a revoked
    await refresh(b).expect(200);
  });

  it('concurrent uses of one token: exactly one renews', async () => {
    const user = await signUp();
    const results = await Promise.all(Array.from({ length: 6 }, () => refresh(user.refresh)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401, 401, 401, 401]);
  });

  it('sign-out revokes the sign-in, even when its session token has already expired', async () => {
    const fresh = await signUp();
    await request(app).post('/api/users/signout').set('Cookie', fresh.session).expect(200);
    await refresh(fresh.refresh).expect(401);

    const stale = await signUp();
    const claims = verifySessionToken(jwtFromSetCookie(stale.res.headers['set-cookie']), testSessionKeys())!;
    const expired = sessionCookie(signTestSessionToken({ id: claims.id, email: claims.email, sid: claims.sid, iat: now() - 1000, exp: now() - 100 }));
    const out = await request(app).post('/api/users/signout').set('Cookie', expired).expect(200);
    expect(refreshCookieOf(out)!.toLowerCase()).toMatch(/^refresh=;.*path=\/api\/users\/refresh/);
    await refresh(stale.refresh).expect(401);
  });

  it('an ended sign-in does not renew', async () => {
    const user = await signUp();
    await SessionFamily.updateOne({ _id: user.refresh.slice('refresh='.length).split('.')[0] }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await refresh(user.refresh).expect(401);
  });

  it.each([
    ['no cookie', undefined],
    ['garbage', 'refresh=garbage'],
    ['an unknown family', 'refresh=66a1f0c2e4b0a1b2c3d4e5f6.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['an operator object', 'refresh={"$ne":""}'],
  ])('%s: 401', async (_label, cookie) => {
    const res = await refresh(cookie).expect(401);
    expect(res.body).toEqual({ errors: [{ message: 'Not authorized' }] });
  });

  it('a known family with a wrong secret is refused without revoking it (a guess is not a theft)', async () => {
    const user = await signUp();
    const sid = user.refresh.slice('refresh='.length).split('.')[0];
    await refresh(`refresh=${sid}.${'B'.repeat(43)}`).expect(401);
    await refresh(user.refresh).expect(200);
  });
});
