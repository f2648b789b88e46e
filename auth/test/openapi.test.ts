import { useServiceTestEnv } from '@ticketing/dev-servers';
import { documentedRoutes, listRoutes } from '@ticketing/common';
import request from 'supertest';
import { openApiDocument } from '../src/openapi';
import { authTestOptions, buildApp } from './helpers';
import { authService } from '../src/service';

const env = useServiceTestEnv(authService, authTestOptions(false));

describe('OpenAPI document', () => {
  const { app } = buildApp(env);

  it('documents exactly the routes the app serves (both directions)', () => {
    const served = listRoutes(app, '/api/');
    expect(served).toEqual(
      expect.arrayContaining(['POST /api/users/signup', 'POST /api/users/signin', 'POST /api/users/signout', 'POST /api/users/refresh', 'GET /api/users/currentuser']),
    );
    expect(documentedRoutes(openApiDocument)).toEqual(served);
  });

  it('documents request bodies and the error responses of each route', () => {
    const paths = openApiDocument.paths as Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    for (const route of ['/api/users/signup', '/api/users/signin']) {
      const op = paths[route].post;
      expect(op.requestBody).toBeDefined();
      expect(Object.keys(op.responses).sort()).toEqual(expect.arrayContaining(['400', '413', '429']));
      expect(JSON.stringify(op.responses['429'])).toContain('Retry-After');
    }
  });

  it('is served at /api/users/openapi.json, with Swagger UI at /api/users/docs', async () => {
    const res = await request(app).get('/api/users/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/api/users/signup');
    const ui = await request(app).get('/api/users/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('answers carry security headers (helmet)', async () => {
    const res = await request(app).get('/api/users/currentuser').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('unknown routes are 404 in the error contract', async () => {
    const res = await request(app).get('/api/users/nope').expect(404);
    expect(res.body).toEqual({ errors: [{ message: 'Route not found' }] });
  });
});
