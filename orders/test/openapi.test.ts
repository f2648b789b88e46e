import { useServiceTestEnv } from '@ticketing/dev-servers';
import { documentedRoutes, listRoutes } from '@ticketing/common';
import request from 'supertest';
import { openApiDocument } from '../src/openapi';
import { ordersTestOptions } from './support';
import { ordersService } from '../src/service';

const env = useServiceTestEnv(ordersService, { ...ordersTestOptions(false), events: false });
const app = env.app();

describe('OpenAPI document', () => {
  it('documents exactly the routes the app serves', () => {
    const served = listRoutes(app);
    expect(served).toEqual(documentedRoutes(openApiDocument));
    expect(served).toEqual(
      expect.arrayContaining([
        'POST /api/orders',
        'GET /api/orders',
        'GET /api/orders/{id}',
        'DELETE /api/orders/{id}',
        'POST /api/orders/waitlist',
        'GET /api/orders/waitlist',
        'GET /api/orders/waitlist/{ticketId}',
        'DELETE /api/orders/waitlist/{ticketId}',
      ]),
    );
  });

  it('documents the rate limit: POST /api/orders may answer 429 with Retry-After, in the error contract', () => {
    const tooMany = (openApiDocument.paths['/api/orders'] as { post: { responses: Record<string, { headers?: object; content?: object }> } }).post.responses[429];
    expect(tooMany.headers).toHaveProperty('Retry-After');
    expect(tooMany.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } });
  });

  it('is served as JSON, with Swagger UI at /api/orders/docs', async () => {
    const doc = await request(app).get('/api/orders/openapi.json').expect(200);
    expect(doc.body.info.title).toBe(openApiDocument.info.title);
    const ui = await request(app).get('/api/orders/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
