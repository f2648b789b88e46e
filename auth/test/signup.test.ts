import { verifySessionToken } from '@ticketing/common';
import { testSessionKeys, useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { User } from '../src/models/user';
import { authTestOptions, buildApp, credentials, jwtFromSetCookie } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions('auth_signup'));

describe('POST /api/users/signup', () => {
  const { app } = buildApp(env);

  it('creates the user: 201 {id,email} and a session cookie for them', async () => {
    const creds = credentials();
    const res = await request(app).post('/api/users/signup').send(creds).expect(201);
    expect(Object.keys(res.body).sort()).toEqual(['email', 'id']);
    expect(res.body.email).toBe(creds.email);
    const payload = verifySessionToken(jwtFromSetCookie(res.headers['set-cookie']), testSessionKeys());
    expect(payload).toMatchObject({ id: res.body.id, email: creds.email });
    const stored = await User.findById(res.body.id).lean();
    expect(stored?.email).toBe(creds.email);
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(stored?.passwordHash).not.toContain(creds.password);
  });

  it('stores the email trimmed and lower-cased, and the unique index sees through case', async () => {
    const res = await request(app).post('/api/users/signup').send({ email: '  Mixed.Case@Test.EXAMPLE ', password: 'password123' }).expect(201);
    expect(res.body.email).toBe('mixed.case@test.example');
    const again = await request(app).post('/api/users/signup').send({ email: 'MIXED.case@test.example', password: 'password123' }).expect(400);
    expect(again.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
    expect(await User.countDocuments()).toBe(1);
  });

  it('two sign-ups with one email: the second is 400 "Email in use"', async () => {
    const creds = credentials();
    await request(app).post('/api/users/signup').send(creds).expect(201);
    const res = await request(app).post('/api/users/signup').send({ ...creds, password: 'another password' }).expect(400);
    expect(res.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('20 concurrent sign-ups with one email: exactly one 201, the rest 400, one user stored', async () => {
    const email = 'race@test.example';
    const variants = [email, email.toUpperCase(), ` ${email} `, 'Race@Test.Example'];
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(app).post('/api/users/signup').send({ email: variants[i % variants.length], password: `password-${i}` }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(19);
    for (const r of responses.filter((x) => x.status === 400)) expect(r.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
    expect(await User.countDocuments({ email })).toBe(1);
    expect(await User.countDocuments()).toBe(1);
  });

  it.each([
    ['missing email', { password: 'password123' }, 'email', 'Email must be valid'],
    ['invalid email', { email: 'not-an-email', password: 'password123' }, 'email', 'Email must be valid'],
    ['email not a string', { email: ['a@b.co'], password: 'password123' }, 'email', 'Email must be valid'],
    ['missing password', { email: 'a@b.co' }, 'password', 'Password must be between 8 and 128 characters'],
    ['short password', { email: 'a@b.co', password: '1234567' }, 'password', 'Password must be between 8 and 128 characters'],
    ['long password', { email: 'a@b.co', password: 'x'.repeat(129) }, 'password', 'Password must be between 8 and 128 characters'],
    ['password not a string', { email: 'a@b.co', password: 12345678 }, 'password', 'Password must be between 8 and 128 characters'],
  ])('%s → 400 naming the field', async (_name, body, field, message) => {
    const res = await request(app).post('/api/users/signup').send(body).expect(400);
    expect(res.body).toEqual({ errors: [{ message, field }] });
    expect(await User.countDocuments()).toBe(0);
  });

  it('accepts passwords of exactly 8 and 128 characters', async () => {
    await request(app).post('/api/users/signup').send({ email: 'eight@test.example', password: '8'.repeat(8) }).expect(201);
    await request(app).post('/api/users/signup').send({ email: 'max@test.example', password: 'm'.repeat(128) }).expect(201);
  });

  it('lists every invalid field at once', async () => {
    const res = await request(app).post('/api/users/signup').send({}).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['email', 'password']);
  });

  it('operator injection ({"email":{"$gt":""}}) → 400, nothing stored', async () => {
    const res = await request(app).post('/api/users/signup').send({ email: { $gt: '' }, password: 'password123' }).expect(400);
    expect(res.body.errors[0].message).toMatch(/\$gt/);
    expect(await User.countDocuments()).toBe(0);
  });

  it('malformed JSON → 400 in the error contract', async () => {
    const res = await request(app).post('/api/users/signup').set('Content-Type', 'application/json').send('{"email":"a@b.co",').expect(400);
    expect(res.body).toEqual({ errors: [{ message: 'Malformed JSON body' }] });
  });

  it('a body over the size limit → 413 in the error contract', async () => {
    const res = await request(app).post('/api/users/signup').send({ email: 'a@b.co', password: 'x'.repeat(5_000) }).expect(413);
    expect(res.body).toEqual({ errors: [{ message: 'Request body too large' }] });
    expect(await User.countDocuments()).toBe(0);
  });
});
