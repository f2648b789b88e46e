import type { UserPayload } from '@ticketing/common';
import { Router } from 'express';

/** What the API says about the signed-in user: the token's claims but the sign-in id. */
export function currentUserView(payload: UserPayload | null | undefined) {
  if (!payload) return null;
  const { id, email, iat, exp } = payload;
  return { id, email, iat, exp };
}

/** Who the session cookie says is signed in; a missing or invalid token is `null`, never an error. */
export function currentUserRouter(): Router {
  const router = Router();
  router.get('/api/users/currentuser', (req, res) => {
    res.send({ currentUser: currentUserView(req.currentUser) });
  });
  return router;
}
