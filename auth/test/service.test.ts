import path from 'node:path';
import {
  eventually,
  freePort,
  spawnServer,
  startNatsServer,
  startRedisServer,
  testMongoUrl,
  testSessionEnv,
  uniqueDbName,
  waitForPort,
  type ManagedProcess,
  type NatsTestServer,
  type RedisTestServer,
} from '@ticketing/dev-servers';
import mongoose from 'mongoose';
import request from 'supertest';

/** The real entry point (src/index.ts) with NATS, MongoDB and Redis: the wiring works. */
describe('auth service process', () => {
  let nats: NatsTestServer;
  let redis: RedisTestServer;
  let service: ManagedProcess;
  let base: string;
  const dbName = uniqueDbName('auth_process');

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
    const port = await freePort();
    const mongoUrl = new URL(testMongoUrl());
    mongoUrl.pathname = `/${dbName}`;
    service = spawnServer(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../src/index.ts')], {
      PORT: String(port),
      HOST: '127.0.0.1',
      ...testSessionEnv({ signing: true }),
      // Its own NATS user and Redis user, as the manifests give them.
      NATS_URL: nats.url,
      NATS_USER: 'auth',
      NATS_PASSWORD: nats.credentials('auth').pass,
      MONGO_URL: mongoUrl.toString(),
      REDIS_URL: redis.urlFor('auth'),
      RATE_LIMIT_SIGNUP_PER_MIN: '2',
      LOG_LEVEL: 'warn',
    });
    await waitForPort(port, 30_000, service.child).catch((err) => {
      throw new Error(`${(err as Error).message}\n${service.output()}`);
    });
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await service?.stop();
    await Promise.all([nats?.destroy(), redis?.destroy()]);
    const conn = await mongoose.createConnection(testMongoUrl(), { dbName }).asPromise();
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  });

  it('becomes ready with a Redis check, serves the API, and limits through Redis', async () => {
    const ready = await eventually(async () => {
      const res = await request(base).get('/readyz');
      return res.status === 200 ? res.body : undefined;
    });
    expect(ready.checks).toMatchObject({ started: true, mongo: true, nats: true, redis: true });

    const up = await request(base).post('/api/users/signup').send({ email: 'proc@test.example', password: 'password123' }).expect(201);
    expect(up.body.email).toBe('proc@test.example');
    await request(base).post('/api/users/signup').send({ email: 'proc2@test.example', password: 'password123' }).expect(201);
    const limited = await request(base).post('/api/users/signup').send({ email: 'proc3@test.example', password: 'password123' }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('is not ready while Redis is down, ready again when it is back', async () => {
    await redis.stop();
    await eventually(async () => (await request(base).get('/readyz')).status === 503);
    const res = await request(base).get('/readyz').expect(503);
    expect(res.body.checks.redis).toBe(false);
    await redis.start();
    await eventually(async () => (await request(base).get('/readyz')).status === 200, { timeoutMs: 30_000 });
  });

  it('stops cleanly on SIGTERM', async () => {
    await service.stop('SIGTERM', 15_000);
    expect(service.exitStatus).toBe(0);
  });
});
