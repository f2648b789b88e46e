import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { z } from 'zod';
import { baseConfigSchema, ConfigError, defineService, natsConfigSchema, sessionConfigSchema, loadConfig, runService, type RunningService } from '../src';
import { eventually, freePort, startNatsServer, testMongoUrl, uniqueDbName, type NatsTestServer } from '@ticketing/dev-servers';

const fixture = path.join(__dirname, 'fixtures', 'minimal-service.ts');

function runFixture(env: NodeJS.ProcessEnv) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', fixture], {
    cwd: path.join(__dirname, '..'),
    env: { PATH: process.env.PATH, ...env },
  }).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => err,
  );
}

describe('configuration', () => {
  it('names each missing or bad variable in one line', () => {
    const schema = baseConfigSchema.extend(sessionConfigSchema.shape);
    expect(() => loadConfig(schema, { PORT: 'eighty' })).toThrow(ConfigError);
    try {
      loadConfig(schema, { PORT: 'eighty', NODE_ENV: 'prod' });
    } catch (err) {
      const message = (err as Error).message;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toMatch(/^Invalid configuration: /);
      expect(message).toContain('SESSION_PUBLIC_KEYS is required');
      expect(message).toContain('PORT');
      expect(message).toContain('NODE_ENV');
    }
  });

  it('HOST and NATS_STREAM_REPLICAS are validated with the rest (not read from process.env aside)', () => {
    const schema = baseConfigSchema.extend(natsConfigSchema.shape);
    expect(loadConfig(schema, { NATS_URL: 'nats://nats:4222' })).toMatchObject({ HOST: '0.0.0.0', NATS_STREAM_REPLICAS: 1 });
    expect(loadConfig(schema, { NATS_URL: 'nats://nats:4222', HOST: '127.0.0.1', NATS_STREAM_REPLICAS: '3' })).toMatchObject({ HOST: '127.0.0.1', NATS_STREAM_REPLICAS: 3 });
    expect(() => loadConfig(schema, { NATS_URL: 'nats://nats:4222', NATS_STREAM_REPLICAS: 'three' })).toThrow(/^Invalid configuration: NATS_STREAM_REPLICAS /);
  });

  it('applies defaults', () => {
    const config = loadConfig(baseConfigSchema.extend(z.object({}).shape), {});
    expect(config).toMatchObject({ PORT: 3000, NODE_ENV: 'development', LOG_LEVEL: 'info' });
  });

  it('a service with bad configuration exits 1 with one line naming the variables', async () => {
    const res = await runFixture({ PORT: '0', DEMO_LIMIT: 'zero' });
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^demo: Invalid configuration: /);
    expect(lines[0]).toContain('NATS_URL is required');
    expect(lines[0]).toContain('MONGO_URL is required');
    expect(lines[0]).toContain('DEMO_LIMIT');
  });

  it("keeps the service schema's refinements (not only its fields)", async () => {
    const demo = defineService({
      name: 'refined-demo',
      mongo: false,
      config: z.object({ LOW: z.coerce.number(), HIGH: z.coerce.number() }).refine((c) => c.LOW < c.HIGH, { path: ['HIGH'], message: 'must be above LOW' }),
    });
    await expect(runService(demo, { handleSignals: false, env: { PORT: '0', NATS_URL: 'nats://127.0.0.1:1', LOW: '5', HIGH: '1' } })).rejects.toThrow(
      /^Invalid configuration: HIGH must be above LOW$/,
    );
  });

  it('a service that cannot start (port taken) exits 1 with one line naming the service and the cause', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const res = await runFixture({ PORT: String(port), HOST: '127.0.0.1', NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1', DEMO_LIMIT: '1' });
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split('\n')).toEqual([`demo: failed to start: port ${port} is already in use`]);
    } finally {
      taken.close();
    }
  });
});

describe('runService', () => {
  let nats: NatsTestServer;
  // These demo services are not in the event catalog: they connect as the admin.
  const adminNats = () => ({ NATS_USER: 'admin', NATS_PASSWORD: nats.credentials('admin').pass });
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    await nats.destroy();
  });

  it('serves probes and metrics, is ready once connected, and stops cleanly', async () => {
    const service: RunningService = await runService(defineService({ name: 'probe-demo' }), {
      handleSignals: false,
      env: { PORT: '0', NATS_URL: nats.url, ...adminNats(), MONGO_URL: `${testMongoUrl()}/${uniqueDbName('probe')}`, LOG_LEVEL: 'silent' },
    });
    const base = `http://127.0.0.1:${service.port}`;
    await request(base).get('/healthz').expect(200, { status: 'ok' });
    const ready = await request(base).get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { started: true, nats: true, mongo: true } });
    const metrics = await request(base).get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds');
    expect(metrics.text).toContain('event_handling_lag_seconds');
    expect(metrics.text).toMatch(/^event_dead_letters_stored\{service="[^"]+"\} \d+$/m); // read from the DEADLETTER stream
    // streams are provisioned by every service at start-up
    await service.stop();
    await expect(request(base).get('/healthz')).rejects.toThrow();
  });

  it('starts background tasks once the event side runs and stops them (waiting) before the listeners', async () => {
    const calls: string[] = [];
    const demo = defineService({
      name: 'background-demo',
      mongo: false,
      background: () => [
        {
          start: () => calls.push('start'),
          stop: async () => {
            await new Promise((r) => setTimeout(r, 50));
            calls.push('stopped');
          },
        },
      ],
      stop: async () => {
        calls.push('service stop');
      },
    });
    const service = await runService(demo, { handleSignals: false, env: { PORT: '0', NATS_URL: nats.url, ...adminNats(), LOG_LEVEL: 'silent' } });
    expect(calls).toEqual(['start']);
    await service.stop();
    expect(calls).toEqual(['start', 'stopped', 'service stop']);
  });

  it('reports not ready while NATS is down, and ready again when it is back', async () => {
    const service = await runService(defineService({ name: 'outage-demo', mongo: false }), {
      handleSignals: false,
      env: { PORT: '0', NATS_URL: nats.url, ...adminNats(), LOG_LEVEL: 'silent' },
    });
    const base = `http://127.0.0.1:${service.port}`;
    await request(base).get('/readyz').expect(200);
    await nats.stop();
    const down = await eventually(async () => {
      const res = await request(base).get('/readyz');
      return res.status === 503 ? res : undefined;
    });
    expect(down.body.checks.nats).toBe(false);
    await nats.start();
    await eventually(async () => (await request(base).get('/readyz')).status === 200, { timeoutMs: 30_000 });
    await service.stop();
  });

  it('SIGTERM: the process finishes and exits 0 promptly', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: path.join(__dirname, '..'),
      env: { PATH: process.env.PATH, PORT: String(port), NATS_URL: nats.url, ...adminNats(), MONGO_URL: `${testMongoUrl()}/${uniqueDbName('sig')}`, DEMO_LIMIT: '1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    await eventually(() => out.includes('"msg":"ready"'), { timeoutMs: 30_000 });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  });
});
