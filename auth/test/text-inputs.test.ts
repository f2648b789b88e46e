import { useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { User } from '../src/models/user';
import { authTestOptions, buildApp } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions('auth_text_inputs'));
const { app } = buildApp(env);

const signupJson = (json: string) => request(app).post('/api/users/signup').set('Content-Type', 'application/json').send(json);

describe('unicode in emails and passwords', () => {
  it('a composed and a decomposed é in an email are one account', async () => {
    await request(app).post('/api/users/signup').send({ email: 'caf\u00e9@test.example', password: 'password123' }).expect(201);
    const again = await request(app).post('/api/users/signup').send({ email: 'CAFE\u0301@test.example', password: 'password123' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ errors: [{ message: 'Email in use', field: 'email' }] });
    await request(app).post('/api/users/signin').send({ email: 'Cafe\u0301@Test.Example', password: 'password123' }).expect(200);
  });

  it.each([
    ['a lone surrogate in the domain', '"a@\\ud800.example"'],
    ['a lone surrogate in the local part', '"\\udc00a@test.example"'],
    ['NUL', '"a\\u0000b@test.example"'],
    ['a newline', '"ab@test.example\\nBcc: x@y.z"'],
    ['over 254 UTF-8 bytes', JSON.stringify(`${'a'.repeat(60)}@${Array.from({ length: 4 }, () => 'é'.repeat(30)).join('.')}.com`)],
  ])('400 for an email with %s, nothing stored', async (_case, emailJson) => {
    const res = await signupJson(`{"email":${emailJson},"password":"password123"}`);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ message: 'Email must be valid', field: 'email' }]);
    expect(await User.countDocuments()).toBe(0);
  });

  it('passwords are counted in code points: 8 emoji are enough, 128 emoji fit, 129 do not', async () => {
    await request(app).post('/api/users/signup').send({ email: 'e8@test.example', password: '😀'.repeat(8) }).expect(201);
    await request(app).post('/api/users/signup').send({ email: 'e128@test.example', password: '😀'.repeat(128) }).expect(201);
    await request(app).post('/api/users/signin').send({ email: 'e128@test.example', password: '😀'.repeat(128) }).expect(200);
    await request(app).post('/api/users/signup').send({ email: 'e129@test.example', password: '😀'.repeat(129) }).expect(400);
    await request(app).post('/api/users/signup').send({ email: 'e7@test.example', password: '😀'.repeat(7) }).expect(400);
  });

  it('400 for a password with an unpaired surrogate (it would hash like U+FFFD), on sign-up and sign-in', async () => {
    const up = await signupJson('{"email":"s@test.example","password":"password\\ud800"}');
    expect(up.status).toBe(400);
    expect(up.body.errors[0].field).toBe('password');
    await request(app).post('/api/users/signup').send({ email: 's@test.example', password: 'password\ufffd' }).expect(201);
    const res = await request(app)
      .post('/api/users/signin')
      .set('Content-Type', 'application/json')
      .send('{"email":"s@test.example","password":"password\\ud800"}');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('password');
  });
});
