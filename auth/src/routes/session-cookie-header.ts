/** The Set-Cookie of every answer that starts, renews or ends a session. */
export const sessionCookieHeaders = {
  'Set-Cookie': {
    description:
      'Two cookies. `session` (HttpOnly, SameSite=Lax, Secure in production, Path=/): the session token, valid SESSION_LIFETIME_SECONDS (default 15 minutes); the cookie itself lasts as long as the sign-in. `refresh` (HttpOnly, SameSite=Strict, Secure in production, Path=/api/users/refresh): an opaque, single-use refresh token, valid until the sign-in ends (REFRESH_LIFETIME_SECONDS, default 7 days, from sign-in)',
    schema: { type: 'string' },
  },
};
