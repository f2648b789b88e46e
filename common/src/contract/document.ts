import type { z } from 'zod';
import type { JsonSchema } from '../validation/schemas';
import { jsonSchemaOf, requestBodySchema, SAFE_JSON, SAFE_KEY } from './json-schema';
import type { ResponseSpec, Route } from './route';

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export interface ApiDescription {
  title: string;
  version: string;
  description: string;
  /** Where the document is served: `<base>/openapi.json` (and Swagger UI at `<base>/docs`). */
  base: string;
  /** The service's JSON body limit, as createServiceApp applies it (413 above); default DEFAULT_BODY_LIMIT. */
  bodyLimit?: string;
  routes: Route[];
  /** Security schemes besides the session cookie. */
  securitySchemes?: Record<string, JsonSchema>;
}

/** createServiceApp's JSON body limit when a service sets none. */
export const DEFAULT_BODY_LIMIT = '16kb';

/** `:id` → `{id}` (OpenAPI's path form). */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

const ERRORS_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['message'],
        properties: { message: { type: 'string' }, field: { type: 'string', description: 'The request field at fault' } },
      },
    },
    requestId: { type: 'string', description: 'With a 500 only: the request id to quote' },
  },
};

const errorAnswer = (description: string, headers?: ResponseSpec['headers']) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Errors' } } },
  ...(headers && { headers: headerObjects(headers) }),
});

const headerObjects = (headers: NonNullable<ResponseSpec['headers']>) =>
  Object.fromEntries(Object.entries(headers).map(([name, h]) => [name, { description: h.description, schema: h.schema }]));

/** The Retry-After header of a 429 or a 503 that says when to try again. */
export const retryAfterHeader = {
  'Retry-After': { description: 'Seconds until another attempt may succeed', schema: { type: 'string', pattern: '^[1-9][0-9]*$' } },
};

/** What every route may answer, whatever it does: the app's shared middleware speaks these. */
function sharedAnswers(bodyLimit: string) {
  return {
    400: 'Malformed JSON, or an operator (`$…`) or prototype key anywhere in the body or the query',
    413: `Request body larger than ${bodyLimit}`,
    415: 'Unsupported charset or content encoding of the body',
    500: 'An unexpected failure (a bug, or a database outage); the answer carries the request id',
  } as Record<number, string>;
}

function operation(route: Route, api: ApiDescription) {
  const { request = {}, access } = route;
  const parameters: JsonSchema[] = [];
  const addParameters = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const json = jsonSchemaOf(schema, 'input');
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries((json.properties ?? {}) as Record<string, JsonSchema>)) {
      const { description, ...propSchema } = prop;
      parameters.push({ name, in: where, required: where === 'path' || required.has(name), ...(description !== undefined && { description }), schema: propSchema });
    }
  };
  addParameters(request.params, 'path');
  addParameters(request.query, 'query');
  for (const h of route.headers ?? []) parameters.push({ name: h.name, in: 'header', required: h.required, description: h.description, schema: h.schema });

  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    if (Number(status) >= 400) {
      responses[status] = errorAnswer(spec.description, spec.headers);
      continue;
    }
    responses[status] = {
      description: spec.description,
      ...(spec.headers && { headers: headerObjects(spec.headers) }),
      ...(spec.body && { content: { [spec.contentType ?? 'application/json']: { schema: jsonSchemaOf(spec.body, 'output') } } }),
    };
  }
  if (access === 'signed-in' && !responses[401]) responses[401] = errorAnswer('Not signed in (no valid session)');
  for (const [status, description] of Object.entries(sharedAnswers(api.bodyLimit ?? DEFAULT_BODY_LIMIT))) {
    const own = responses[status] as { description: string } | undefined;
    responses[status] = errorAnswer(own ? `${own.description}; or: ${description}` : description);
  }

  const security = route.security ?? (access === 'signed-in' ? [{ session: [] }] : access === 'optional-session' ? [{}, { session: [] }] : []);
  return {
    summary: route.summary,
    ...(route.description && { description: route.description }),
    security,
    ...(parameters.length > 0 && { parameters }),
    ...(request.body && { requestBody: { required: true, content: { 'application/json': { schema: requestBodySchema(request.body) } } } }),
    responses,
  };
}

/**
 * A service's OpenAPI 3.1 document, made from its routes' contracts (the same zod schemas that
 * validate requests) and the answers every route shares: nothing in it is written twice.
 */
export function openApiDocument(api: ApiDescription): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const add = (path: string, method: string, op: unknown) => {
    paths[path] = { ...paths[path], [method]: op };
  };
  for (const route of api.routes) add(openApiPath(route.path), route.method, operation(route, api));
  add(`${api.base}/openapi.json`, 'get', {
    summary: `This document (Swagger UI at ${api.base}/docs)`,
    security: [],
    responses: {
      200: { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } } },
      ...Object.fromEntries(Object.entries(sharedAnswers(api.bodyLimit ?? DEFAULT_BODY_LIMIT)).map(([s, d]) => [s, errorAnswer(d)])),
    },
  });
  return {
    openapi: '3.1.0',
    info: { title: api.title, version: api.version, description: api.description },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'session', description: 'The session token set by the auth service' }, ...api.securitySchemes },
      schemas: { Errors: ERRORS_SCHEMA, SafeKey: SAFE_KEY, SafeJson: SAFE_JSON },
    },
    paths,
  };
}
