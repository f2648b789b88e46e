import { verifySessionToken } from '@ticketing/common';
import { testSessionKeys, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { authTestOptions, buildApp, credentials, jwtFromSetCookie } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions('auth_signin'));

describe('POST /api/users/signin', () => {
  const { app } = buildApp(env);
  const signup = async (creds = credentials()) => {
    const res = await request(app).post('/api/users/signup').send(creds).expect(201);
    return { ...creds, id: res.body.id as string };
  };

  it('right credentials: 200 {id,email} and a session cookie', async () => {
    const user = await signup();
    const res = await request(app).post('/api/users/signin').send({ email: user.email, password: user.password }).expect(200);
    expect(res.body).toEqual({ id: user.id, email: user.email });
    const payload = verifySessionToken(jwtFromSetCookie(res.headers['set-cookie']), testSessionKeys());
    expect(payload).toMatchObject({ id: user.id, email: user.email });
  });

  it('the email is matched trimmed and case-insensitively', async () => {
    const user = await signup();
    await request(app).post('/api/users/signin').send({ email: `  ${user.email.toUpperCase()} `, password: user.password }).expect(200);
  });

  it('wrong password and unknown email get the same 400 "Invalid credentials", no cookie', async () => {
    const user = await signup();
    const wrong = await request(app).post('/api/users/signin').send({ email: user.email, password: 'wrong password' }).expect(400);
    const unknown = await request(app).post('/api/users/signin').send({ email: 'nobody@test.example', password: user.password }).expect(400);
    expect(wrong.body).toEqual({ errors: [{ message: 'Invalid credentials' }] });
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('the password is case-sensitive and not trimmed', async () => {
    const user = await signup();
    await request(app).post('/api/users/signin').send({ email: user.email, password: user.password.toUpperCase() }).expect(400);
    await request(app).post('/api/users/signin').send({ email: user.email, password: ` ${user.password}` }).expect(400);
  });

  it.each([
    ['invalid email', { email: 'nope', password: 'password123' }, 'email', 'Email must be valid'],
    ['missing password', { email: 'a@b.co' }, 'password', 'You must supply a password'],
    ['empty password', { email: 'a@b.co', password: '' }, 'password', 'You must supply a password'],
    ['password object', { email: 'a@b.co', password: { length: 9 } }, 'password', 'You must supply a password'],
    ['long password', { email: 'a@b.co', password: 'x'.repeat(129) }, 'password', 'Password must be at most 128 characters'],
  ])('%s → 400 naming the field', async (_name, body, field, message) => {
    const res = await request(app).post('/api/users/signin').send(body).expect(400);
    expect(res.body).toEqual({ errors: [{ message, field }] });
  });

  it('operator injection cannot match a user: {"email":{"$gt":""}} and {"password":{"$ne":null}} → 400', async () => {
    await signup();
    for (const body of [
      { email: { $gt: '' }, password: 'whatever1' },
      { email: 'a@b.co', password: { $ne: null } },
    ]) {
      const res = await request(app).post('/api/users/signin').send(body).expect(400);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('malformed JSON → 400; oversized body → 413', async () => {
    const bad = await request(app).post('/api/users/signin').set('Content-Type', 'application/json').send('{"email":').expect(400);
    expect(bad.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
    const big = await request(app).post('/api/users/signin').send({ email: 'a@b.co', password: 'x'.repeat(5_000) }).expect(413);
    expect(big.body).toEqual({ errors: [{ message: 'Request body too large' }] });
  });
});
