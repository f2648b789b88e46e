import { defineRoute, mountRoute } from '@ticketing/common';
import { Router } from 'express';
import { z } from 'zod';
import { endSession, type SessionSettings } from '../domain/session';
import { sessionCookieHeaders } from './session-cookie-header';

export const signoutRoute = defineRoute({
  method: 'post',
  path: '/api/users/signout',
  summary: 'Sign out: revokes the sign-in (its refresh tokens) and clears both cookies',
  description: 'The sign-in is named by the session token, which counts for this even when expired (but not when forged). 200 whether signed in or not.',
  access: 'public',
  responses: { 200: { description: 'Signed out', headers: sessionCookieHeaders, body: z.object({}) } },
});

/** Ends the sign-in: its refresh tokens are revoked, both cookies cleared. Always 200. */
export function signoutRouter(deps: { session: SessionSettings }): Router {
  return mountRoute(Router(), signoutRoute, async (req, res) => {
    await endSession(req, res, deps.session);
    res.status(200).send({});
  });
}
