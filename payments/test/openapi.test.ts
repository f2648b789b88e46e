import { documentedRoutes, listRoutes } from '@ticketing/common';
import { useServiceTestEnv } from '@ticketing/dev-servers';
import request from 'supertest';
import { SandboxGateway } from '../src/gateway';
import { openApiDocument } from '../src/openapi';
import { paymentsService } from '../src/service';
import { paymentsTestOptions } from './helpers/environment';
import { RecordingGateway } from './helpers/recording-gateway';

const env = useServiceTestEnv(paymentsService, { ...paymentsTestOptions(new RecordingGateway(new SandboxGateway())), database: false, events: false });
const app = env.app();

describe('OpenAPI', () => {
  it('documents exactly the routes the app serves', () => {
    expect(listRoutes(app)).toEqual(documentedRoutes(openApiDocument));
    expect(listRoutes(app)).toEqual([
      'GET /api/payments',
      'GET /api/payments/openapi.json',
      'POST /api/payments',
      'POST /api/payments/intents',
      'POST /api/payments/webhook',
    ]);
  });

  it('documents the rate limit: POST /api/payments may answer 429 with Retry-After, in the error contract', () => {
    const tooMany = (openApiDocument.paths['/api/payments'] as { post: { responses: Record<string, { headers?: object; content?: object }> } }).post.responses[429];
    expect(tooMany.headers).toHaveProperty('Retry-After');
    expect(tooMany.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } });
  });

  it('serves the document and Swagger UI under /api/payments/docs', async () => {
    const doc = await request(app).get('/api/payments/openapi.json').expect(200);
    expect(doc.body.info.title).toBe('Ticketing payments API');
    const ui = await request(app).get('/api/payments/docs/').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });
});
