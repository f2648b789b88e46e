import { Router } from 'express';

/** Who the session cookie says is signed in; a missing or invalid token is `null`, never an error. */
export function currentUserRouter(): Router {
  const router = Router();
  router.get('/api/users/currentuser', (req, res) => {
    res.send({ currentUser: req.currentUser ?? null });
  });
  return router;
}
