import { useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { User } from '../src/models/user';
import { authTestOptions, buildApp, credentials, rateLimitEnv, sessionPair } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions('auth_secrets'));

describe('passwords and their hashes never leave the service', () => {
  it('in no response body and no log line, through every route and error path', async () => {
    // Request logging on, rate limits low enough to hit: every path the password travels.
    const { app, lines } = buildApp(env, { logRequests: true, env: rateLimitEnv({ signinPerMinute: 2, signinPerAddressPerMinute: 2, signupPerMinute: 3 }) });
    const creds = { ...credentials(), password: 'Sup3r-Secret-Passw0rd' };
    const bodies: string[] = [];
    const record = (res: request.Response) => {
      bodies.push(res.text, JSON.stringify(res.headers));
      return res;
    };

    const up = record(await request(app).post('/api/users/signup').send(creds).expect(201));
    record(await request(app).post('/api/users/signup').send(creds).expect(400)); // email in use
    record(await request(app).post('/api/users/signup').send({ email: 'bad', password: creds.password }).expect(400));
    record(await request(app).post('/api/users/signup').send({ email: creds.email, password: `${creds.password}${'x'.repeat(120)}` }).expect(400));
    record(await request(app).post('/api/users/signup').set('Content-Type', 'application/json').send(`{"password":"${creds.password}",`).expect(400));
    record(await request(app).post('/api/users/signin').send(creds).expect(200));
    record(await request(app).post('/api/users/signin').send({ ...creds, password: `${creds.password}!` }).expect(400));
    record(await request(app).post('/api/users/signin').send(creds).expect(429));
    record(await request(app).get('/api/users/currentuser').set('Cookie', sessionPair(up.headers['set-cookie'])).expect(200));
    record(await request(app).post('/api/users/signout').expect(200));

    const stored = await User.findOne({ email: creds.email }).lean();
    const [, , , , salt, hash] = stored!.passwordHash.split('$');
    const secrets = [creds.password, stored!.passwordHash, salt, hash];

    expect(lines.length).toBeGreaterThan(0); // the capture works: request logs were written
    expect(lines.some((l) => l.includes('user signed up'))).toBe(true);
    for (const text of [...bodies, ...lines]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/passwordHash/);
    }
  });

  it('the user JSON is only {id, email}', async () => {
    const user = await User.create({ email: 'json@test.example', passwordHash: 'scrypt$1$1$1$c2FsdA==$aGFzaA==' });
    expect(Object.keys(user.toJSON()).sort()).toEqual(['email', 'id']);
  });
});
