import { openApiDocument as buildDocument } from '@ticketing/common';
import { AUTH_BODY_LIMIT } from './body-limit';
import { currentUserRoute } from './routes/current-user';
import { refreshRoute } from './routes/refresh';
import { signinRoute } from './routes/signin';
import { signoutRoute } from './routes/signout';
import { signupRoute } from './routes/signup';

/** The auth service's API, made from its routes' contracts; a test checks it lists exactly the routes the app serves. */
export const openApiDocument = buildDocument({
  title: 'Ticketing auth service',
  version: '1.0.0',
  description:
    'Sign up, sign in, renew, sign out and the current user. The session is a short-lived JWT in the `session` cookie, signed by this service alone (ES256, `kid` header naming the key; claims `id`, `email`, `sid` = the sign-in, `iat`, `exp`); every service verifies it with the public keys in SESSION_PUBLIC_KEYS. A sign-in also gets a rotating refresh token (`refresh` cookie, sent only to `POST /api/users/refresh`): each use replaces it; using a replaced one again revokes the whole sign-in; sign-out revokes it too. Unknown body fields are ignored.',
  base: '/api/users',
  bodyLimit: AUTH_BODY_LIMIT,
  securitySchemes: {
    refreshCookie: { type: 'apiKey', in: 'cookie', name: 'refresh', description: 'Opaque refresh token; Path=/api/users/refresh, SameSite=Strict' },
  },
  routes: [signupRoute, signinRoute, signoutRoute, refreshRoute, currentUserRoute],
});
