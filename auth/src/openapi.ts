import { errorResponse, openApiCommonComponents, retryAfterHeader, type OpenApiDocument } from '@ticketing/common';
import { PASSWORD_MAX, PASSWORD_MIN } from './routes/validators';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = errorResponse;

const sessionCookie = {
  'Set-Cookie': {
    description:
      'Two cookies. `session` (HttpOnly, SameSite=Lax, Secure in production, Path=/): the session token, valid SESSION_LIFETIME_SECONDS (default 15 minutes); the cookie itself lasts as long as the sign-in. `refresh` (HttpOnly, SameSite=Strict, Secure in production, Path=/api/users/refresh): an opaque, single-use refresh token, valid until the sign-in ends (REFRESH_LIFETIME_SECONDS, default 7 days, from sign-in)',
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
      'Sign up, sign in, renew, sign out and the current user. The session is a short-lived JWT in the `session` cookie, signed by this service alone (ES256, `kid` header naming the key; claims `id`, `email`, `sid` = the sign-in, `iat`, `exp`); every service verifies it with the public keys in SESSION_PUBLIC_KEYS. A sign-in also gets a rotating refresh token (`refresh` cookie, sent only to `POST /api/users/refresh`): each use replaces it; using a replaced one again revokes the whole sign-in; sign-out revokes it too.',
  },
  components: {
    securitySchemes: {
      ...openApiCommonComponents.securitySchemes,
      refreshCookie: { type: 'apiKey', in: 'cookie', name: 'refresh', description: 'Opaque refresh token; Path=/api/users/refresh, SameSite=Strict' },
    },
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
        summary: 'Sign out: revokes the sign-in (its refresh tokens) and clears both cookies',
        description: 'The sign-in is named by the session token, which counts for this even when expired (but not when forged). Always 200.',
        responses: {
          '200': { description: 'Signed out', headers: sessionCookie, content: json({ type: 'object', additionalProperties: false }) },
        },
      },
    },
    '/api/users/refresh': {
      post: {
        summary: 'Renew the session with the refresh cookie',
        description:
          'Exchanges the `refresh` cookie for a new one and a new session token (same user, same sign-in). The browser sends the cookie to this path only. Missing, unknown, ended or revoked tokens get 401; a token that was already used gets 401 **and revokes the whole sign-in** (someone else holds its tokens). A 401 clears both cookies.',
        security: [{ refreshCookie: [] }],
        responses: {
          '200': { description: 'Renewed', headers: sessionCookie, content: json(ref('CurrentUser')) },
          '401': error('No valid refresh token: sign in again'),
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
