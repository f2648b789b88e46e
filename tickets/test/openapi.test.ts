import { useServiceTestEnv } from '@ticketing/dev-servers';
import { documentedRoutes, listRoutes } from '@ticketing/common';
import request from 'supertest';
import { openApiDocument } from '../src/openapi';
import { ticketsTestOptions } from './support';
import { ticketsService } from '../src/service';

const env = useServiceTestEnv(ticketsService, ticketsTestOptions(false, { events: false }));
const app = env.app();

describe('OpenAPI document and Swagger UI', () => {
  it('documents exactly the routes the app answers (both directions)', () => {
    const real = listRoutes(app);
    expect(real).toEqual(
      expect.arrayContaining(['GET /api/tickets', 'POST /api/tickets', 'GET /api/tickets/{id}', 'PUT /api/tickets/{id}']),
    );
    expect(documentedRoutes(openApiDocument)).toEqual(real);
  });

  it('serves the document at /api/tickets/openapi.json', async () => {
    const res = await request(app).get('/api/tickets/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('serves Swagger UI at /api/tickets/docs: "docs" is never taken for a ticket id', async () => {
    const redirect = await request(app).get('/api/tickets/docs');
    expect([200, 301, 302]).toContain(redirect.status);
    const ui = await request(app).get('/api/tickets/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
