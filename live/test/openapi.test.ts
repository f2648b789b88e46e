import { documentedRoutes, listRoutes } from '@ticketing/common';
import request from 'supertest';
import { openApiDocument } from '../src/openapi';
import { useLive } from './support';

const { start } = useLive();

describe('OpenAPI document', () => {
  it('documents exactly the routes the app answers, and is served at /api/live/openapi.json', async () => {
    const live = await start();
    const app = live.app;
    expect(listRoutes(app)).toEqual(['GET /api/live', 'GET /api/live/openapi.json']);
    expect(documentedRoutes(openApiDocument)).toEqual(listRoutes(app));
    const res = await request(app).get('/api/live/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
