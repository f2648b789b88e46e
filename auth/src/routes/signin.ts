import { BadRequestError, validateRequest } from '@ticketing/common';
import { Router, type Request, type Response } from 'express';
import { User } from '../models/user';
import { unknownUserHash, verifyPassword } from '../domain/password';
import type { AuthRateLimits } from '../domain/rate-limits';
import { startSession, type SessionSettings } from '../domain/session';
import { emailField, passwordField } from './validators';

/** Same answer for an unknown email and a wrong password, so neither reveals which. */
const INVALID_CREDENTIALS = 'Invalid credentials';

export function signinRouter(deps: { session: SessionSettings; limits: AuthRateLimits }): Router {
  const router = Router();
  router.post('/api/users/signin', [emailField(), passwordField()], validateRequest, async (req: Request, res: Response) => {
    const { email, password } = req.body as { email: string; password: string };
    await deps.limits.signinAttempt(email, req.ip);
    const user = await User.findOne({ email });
    // An unknown email still costs one scrypt, against a dummy hash: no timing difference.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await unknownUserHash()));
    if (!user || !matches) throw new BadRequestError(INVALID_CREDENTIALS);
    await deps.limits.signinSucceeded(email, req.ip);
    await startSession(req, res, { id: user.id, email: user.email }, deps.session);
    res.status(200).send(user);
  });
  return router;
}
