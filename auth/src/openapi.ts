import { errorResponse, openApiCommonComponents, retryAfterHeader, type OpenApiDocument } from '@ticketing/common';
import { PASSWORD_MAX, PASSWORD_MIN } from './routes/validators';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = errorResponse;

const sessionCookie = {
  'Set-Cookie': {
    description: 'The `session` cookie (HttpOnly, SameSite=Lax, Secure in production) holding the JWT',
    schema: { type: 'string' },
  },
};
const retryAfter = retryAfterHeader;

const bodyErrors = {
  '400': error('Invalid input (each problem with its field), malformed JSON, or an operator key such as `$gt`'),
  '413': error('Request body larger than the limit'),
};

/** The auth service's API; a test checks it lists exactly the routes the app serves. */
export const openApiDocument: OpenApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Ticketing auth service',
    version: '1.0.0',
    description:
      'Sign up, sign in, sign out and the current user. The session is a JWT (HS256, `id`, `email`, `iat`, `exp`) in the `session` cookie.',
  },
  components: {
    securitySchemes: openApiCommonComponents.securitySchemes,
    schemas: {
      ...openApiCommonComponents.schemas,
      Credentials: {
        type: 'object',
        required: ['email', 'password'],
        additionalProperties: false,
        properties: {
          email: {
            type: 'string',
            format: 'email',
            description:
              'Canonical form, used for storage, lookup and uniqueness: trimmed, Unicode NFC, lower-cased (`A@x.com` and `a@x.com` are one account); then at most 254 UTF-8 bytes, no control characters or unpaired surrogates',
          },
          password: {
            type: 'string',
            minLength: PASSWORD_MIN,
            maxLength: PASSWORD_MAX,
            format: 'password',
            description: 'Length in Unicode code points; any characters except unpaired surrogates',
          },
        },
      },
      SigninCredentials: {
        type: 'object',
        required: ['email', 'password'],
        additionalProperties: false,
        properties: {
          email: {
            type: 'string',
            format: 'email',
            description:
              'Canonical form, used for storage, lookup and uniqueness: trimmed, Unicode NFC, lower-cased (`A@x.com` and `a@x.com` are one account); then at most 254 UTF-8 bytes, no control characters or unpaired surrogates',
          },
          password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX, format: 'password' },
        },
      },
      User: {
        type: 'object',
        required: ['id', 'email'],
        properties: { id: { type: 'string', example: '66a1f0c2e4b0a1b2c3d4e5f6' }, email: { type: 'string', format: 'email' } },
      },
      CurrentUser: {
        type: 'object',
        required: ['currentUser'],
        properties: {
          currentUser: {
            nullable: true,
            type: 'object',
            required: ['id', 'email', 'iat', 'exp'],
            properties: {
              id: { type: 'string' },
              email: { type: 'string', format: 'email' },
              iat: { type: 'integer', description: 'Issued at (seconds since the epoch)' },
              exp: { type: 'integer', description: 'Expires at (seconds since the epoch)' },
            },
          },
        },
      },
    },
  },
  paths: {
    '/api/users/signup': {
      post: {
        summary: 'Create an account and sign in',
        requestBody: { required: true, content: json(ref('Credentials')) },
        responses: {
          '201': { description: 'Signed up', headers: sessionCookie, content: json(ref('User')) },
          ...bodyErrors,
          '400': error(`Invalid email, password not ${PASSWORD_MIN}–${PASSWORD_MAX} characters, email in use, malformed JSON or operator keys`),
          '429': error('Too many sign-ups from this address', retryAfter),
        },
      },
    },
    '/api/users/signin': {
      post: {
        summary: 'Sign in',
        requestBody: { required: true, content: json(ref('SigninCredentials')) },
        responses: {
          '200': { description: 'Signed in', headers: sessionCookie, content: json(ref('User')) },
          ...bodyErrors,
          '400': error('"Invalid credentials" (unknown email or wrong password alike), invalid input, malformed JSON or operator keys'),
          '429': error('Too many sign-in attempts for this email from this address, or from this address', retryAfter),
        },
      },
    },
    '/api/users/signout': {
      post: {
        summary: 'Sign out (clears the session cookie)',
        responses: {
          '200': { description: 'Signed out', headers: sessionCookie, content: json({ type: 'object', additionalProperties: false }) },
        },
      },
    },
    '/api/users/currentuser': {
      get: {
        summary: 'The signed-in user, or null',
        description: 'A missing, expired, tampered, `alg: none` or wrongly signed token gives `{"currentUser": null}`, never 401.',
        security: [{ session: [] }, {}],
        responses: { '200': { description: 'The current user or null', content: json(ref('CurrentUser')) } },
      },
    },
    '/api/users/openapi.json': {
      get: {
        summary: 'This document (Swagger UI at /api/users/docs)',
        responses: { '200': { description: 'OpenAPI 3 document', content: json({ type: 'object' }) } },
      },
    },
  },
};
