import { Router } from 'express';
import { endSession, type SessionSettings } from '../domain/session';

/** Ends the sign-in: its refresh tokens are revoked, both cookies cleared. Always 200. */
export function signoutRouter(deps: { session: SessionSettings }): Router {
  const router = Router();
  router.post('/api/users/signout', async (req, res) => {
    await endSession(req, res, deps.session);
    res.status(200).send({});
  });
  return router;
}
