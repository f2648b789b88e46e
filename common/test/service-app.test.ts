import { Router } from 'express';
import request from 'supertest';
import { defineService, loadServiceConfig, serviceApp, createLogger } from '../src';
import { testSessionEnv } from '@ticketing/dev-servers';
// `req.session` below is cookie-session's augmentation of Express's Request.
import type {} from 'cookie-session';

/** A declared service with one route at /api/demo/:id, as the services declare theirs. */
const demo = defineService({
  name: 'demo',
  mongo: false,
  routers: () => {
    const router = Router();
    router.get('/api/demo/:id', (req, res) => void res.send({ id: req.params.id }));
    router.post('/api/demo/session', (req, res) => {
      req.session = { jwt: 'not-a-token' };
      res.status(201).send({});
    });
    return [router];
  },
  openApi: { base: '/api/demo', document: { openapi: '3.1.0', info: { title: 'demo', version: '1' }, paths: {} } },
});

const appIn = (env: Record<string, string>) =>
  serviceApp(demo, { config: loadServiceConfig(demo, { NATS_URL: 'nats://nats:4222', ...testSessionEnv(), ...env }), logger: createLogger('demo', 'silent') });

describe('serviceApp: the app runService builds from a declaration', () => {
  it('serves the OpenAPI document before the routers, so that openapi.json is never taken for an id', async () => {
    const app = appIn({});
    const doc = await request(app).get('/api/demo/openapi.json').expect(200);
    expect(doc.body.info.title).toBe('demo');
    await request(app).get('/api/demo/42').expect(200, { id: '42' });
  });

  it('the session cookie is Secure exactly when NODE_ENV is production', async () => {
    const cookieIn = async (nodeEnv: string) => {
      const res = await request(appIn({ NODE_ENV: nodeEnv })).post('/api/demo/session').set('X-Forwarded-Proto', 'https').expect(201);
      return ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('session='))!.toLowerCase();
    };
    expect(await cookieIn('production')).toMatch(/;\s*secure/);
    expect(await cookieIn('development')).not.toMatch(/secure/);
    expect(await cookieIn('test')).not.toMatch(/secure/);
  });

  it('has the common middleware: request ids, the error contract for unknown routes', async () => {
    const app = appIn({});
    const res = await request(app).get('/api/nothing-here').set('X-Request-Id', 'abc-123').expect(404);
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.body).toEqual({ errors: [expect.objectContaining({ message: expect.any(String) })] });
  });

  it('refuses a declaration without routers (a worker has no app)', () => {
    const worker = defineService({ name: 'worker', mongo: false });
    expect(() => serviceApp(worker, { config: loadServiceConfig(worker, { NATS_URL: 'nats://nats:4222' }), logger: createLogger('worker', 'silent') })).toThrow(
      /worker has no HTTP API/,
    );
  });
});
