import { Router } from 'express';
import { endSession } from '../services/session';

export function signoutRouter(): Router {
  const router = Router();
  router.post('/api/users/signout', (req, res) => {
    endSession(req);
    res.status(200).send({});
  });
  return router;
}
