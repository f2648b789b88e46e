import { Router } from 'express';
import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import { createServiceApp, defineRoute, idParams, mountRoute, objectIdField, openApiDocument, openApiRouter, priceField } from '../src';
import { signin, testSessionKeys } from '@ticketing/dev-servers';

const itemParams = idParams('Item not found', 'Item id');
const showItem = defineRoute({
  method: 'get',
  path: '/api/items/:id',
  summary: 'One item',
  access: 'public',
  request: { params: itemParams, query: z.object({ verbose: z.enum(['yes', 'no'], { error: 'verbose must be yes or no' }).optional() }) },
  responses: { 200: { description: 'The item', body: z.object({ id: z.string(), verbose: z.string().optional() }) }, 404: { description: 'No such item' } },
});
const putItem = defineRoute({
  method: 'put',
  path: '/api/items/:id',
  summary: 'Change an item',
  access: 'signed-in',
  request: { params: itemParams, body: z.object({ ownerId: objectIdField('ownerId must be an id'), price: priceField() }) },
  responses: { 200: { description: 'Changed', body: z.object({ id: z.string(), ownerId: z.string(), price: z.number() }) } },
});

const doc = openApiDocument({ title: 'Items', version: '1', description: 'Test API', base: '/api/items', bodyLimit: '16kb', routes: [showItem, putItem] });
const router = Router();
mountRoute(router, showItem, (req, res) => {
  res.send({ id: showItem.params(req).id, ...showItem.query(req) });
});
mountRoute(router, putItem, (req, res) => {
  res.send({ id: putItem.params(req).id, ...putItem.body(req) });
});
const app = createServiceApp({ logger: pino({ level: 'silent' }), sessionKeys: testSessionKeys(), logRequests: false, routers: [openApiRouter('/api/items', doc), router] });

describe('validate: one request contract', () => {
  it('puts canonical values on the request and drops unknown fields', async () => {
    const res = await request(app).get('/api/items/AAAAAAAAAAAAAAAAAAAAAAAA?verbose=yes&other=1').expect(200);
    expect(res.body).toEqual({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', verbose: 'yes' });
  });

  it('a malformed path id names nothing: 404 with the schema message', async () => {
    expect((await request(app).get('/api/items/nope').expect(404)).body).toEqual({ errors: [{ message: 'Item not found' }] });
  });

  it('a bad query or body is a 400 naming each field once, in the error contract', async () => {
    expect((await request(app).get('/api/items/aaaaaaaaaaaaaaaaaaaaaaaa?verbose=maybe').expect(400)).body).toEqual({ errors: [{ message: 'verbose must be yes or no', field: 'verbose' }] });
    const bad = await request(app).put('/api/items/aaaaaaaaaaaaaaaaaaaaaaaa').set('Cookie', signin()).send({ ownerId: 42, price: 'free' }).expect(400);
    expect(bad.body.errors).toEqual([
      { message: 'ownerId must be an id', field: 'ownerId' },
      { message: expect.stringMatching(/price/i), field: 'price' },
    ]);
    const ok = await request(app).put('/api/items/aaaaaaaaaaaaaaaaaaaaaaaa').set('Cookie', signin()).send({ ownerId: 'BBBBBBBBBBBBBBBBBBBBBBBB', price: '25.00', extra: true }).expect(200);
    expect(ok.body).toEqual({ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', ownerId: 'bbbbbbbbbbbbbbbbbbbbbbbb', price: 25 });
  });

  it('signed-in routes check the session before the body: 401', async () => {
    await request(app).put('/api/items/aaaaaaaaaaaaaaaaaaaaaaaa').send({}).expect(401);
  });
});

describe('405: methods the document does not declare', () => {
  it('answers 405 with Allow (GET brings HEAD) in the error contract', async () => {
    const res = await request(app).post('/api/items/aaaaaaaaaaaaaaaaaaaaaaaa').expect(405);
    expect(res.headers.allow).toBe('GET, PUT, HEAD, OPTIONS');
    expect(res.body).toEqual({ errors: [{ message: 'Method not allowed; this path allows GET, PUT, HEAD, OPTIONS' }] });
    // The document's own path is more exact than /api/items/{id}: only its methods.
    expect((await request(app).put('/api/items/openapi.json').expect(405)).headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('OPTIONS lists the methods; HEAD of a GET route and unknown paths are unchanged', async () => {
    expect((await request(app).options('/api/items/x').expect(204)).headers.allow).toBe('GET, PUT, HEAD, OPTIONS');
    await request(app).head('/api/items/aaaaaaaaaaaaaaaaaaaaaaaa').expect(200);
    expect((await request(app).post('/api/other').expect(404)).body).toEqual({ errors: [{ message: 'Route not found' }] });
  });
});

describe('openApiDocument', () => {
  const paths = doc.paths as Record<string, Record<string, { parameters?: { name: string; in: string; required: boolean }[]; responses: Record<string, unknown>; security: unknown[]; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>>;

  it('describes params, query and body from the same schemas, with what every route may answer', () => {
    expect(doc.openapi).toBe('3.1.0');
    const get = paths['/api/items/{id}'].get;
    expect(get.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' } }),
      expect.objectContaining({ name: 'verbose', in: 'query', required: false, schema: { type: 'string', enum: ['yes', 'no'] } }),
    ]);
    expect(Object.keys(get.responses).sort()).toEqual(['200', '400', '404', '413', '415', '500']);
    expect(get.security).toEqual([]);
    const put = paths['/api/items/{id}'].put;
    expect(Object.keys(put.responses).sort()).toEqual(['200', '400', '401', '413', '415', '500']);
    expect(put.security).toEqual([{ session: [] }]);
    const body = put.requestBody!.content['application/json'].schema;
    expect(body).toMatchObject({ type: 'object', required: ['ownerId', 'price'], propertyNames: { $ref: '#/components/schemas/SafeKey' } });
    expect(body.additionalProperties).toEqual({ $ref: '#/components/schemas/SafeJson' });
    expect(Object.keys(paths['/api/items/openapi.json'])).toEqual(['get']);
  });

  it('declares the refused keys as what the guard refuses', () => {
    const safeKey = (doc.components as { schemas: Record<string, { pattern: string; not: { enum: string[] } }> }).schemas.SafeKey;
    const allowed = (key: string) => new RegExp(safeKey.pattern).test(key) && !safeKey.not.enum.includes(key);
    expect(['title', '', 'a$b'].every(allowed)).toBe(true);
    expect(['$gt', '$where', '__proto__', 'constructor', 'prototype'].some(allowed)).toBe(false);
  });
});
