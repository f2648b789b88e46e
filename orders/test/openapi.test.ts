import { expectDocumentServed, expectRateLimitDocumented, useServiceTestEnv } from '@ticketing/dev-servers';
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
    expectRateLimitDocumented(openApiDocument, '/api/orders');
  });

  it('is served as JSON, with Swagger UI at /api/orders/docs', async () => {
    await expectDocumentServed(request(app), '/api/orders', openApiDocument);
  });
});
