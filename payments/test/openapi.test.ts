import { documentedRoutes, listRoutes } from '@ticketing/common';
import { expectDocumentServed, expectRateLimitDocumented, useServiceTestEnv } from '@ticketing/dev-servers';
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
    expectRateLimitDocumented(openApiDocument, '/api/payments');
  });

  it('serves the document and Swagger UI under /api/payments/docs', async () => {
    await expectDocumentServed(request(app), '/api/payments', openApiDocument);
    expect(openApiDocument.info.title).toBe('Ticketing payments API');
  });
});
