import { defineRoute, mountRoute, type UserPayload } from '@ticketing/common';
import { currentUserAnswerSchema } from '@ticketing/common/api';
import { Router } from 'express';

/** What the API says about the signed-in user: the token's claims but the sign-in id. */
export function currentUserView(payload: UserPayload | null | undefined) {
  if (!payload) return null;
  const { id, email, iat, exp } = payload;
  return { id, email, iat, exp };
}

export const currentUserRoute = defineRoute({
  method: 'get',
  path: '/api/users/currentuser',
  summary: 'The signed-in user, or null',
  description: 'A missing, expired, tampered, `alg: none` or wrongly signed token gives `{"currentUser": null}`, never 401.',
  access: 'optional-session',
  responses: { 200: { description: 'The current user or null', body: currentUserAnswerSchema } },
});

/** Who the session cookie says is signed in; a missing or invalid token is `null`, never an error. */
export function currentUserRouter(): Router {
  return mountRoute(Router(), currentUserRoute, (req, res) => {
    res.send({ currentUser: currentUserView(req.currentUser) });
  });
}
