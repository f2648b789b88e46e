import { BadRequestError, isDuplicateKeyError, validateRequest, type Logger } from '@ticketing/common';
import { Router, type Request, type Response } from 'express';
import { User } from '../models/user';
import { hashPassword } from '../domain/password';
import type { AuthRateLimits } from '../domain/rate-limits';
import { startSession, type SessionSettings } from '../domain/session';
import { emailField, newPasswordField } from './validators';

export function signupRouter(deps: { session: SessionSettings; limits: AuthRateLimits; logger: Logger }): Router {
  const router = Router();
  router.post('/api/users/signup', [emailField(), newPasswordField()], validateRequest, async (req: Request, res: Response) => {
    await deps.limits.signupAttempt(req.ip);
    const { email, password } = req.body as { email: string; password: string };
    let user;
    try {
      user = await User.create({ email, passwordHash: await hashPassword(password) });
    } catch (err) {
      // The unique index settles concurrent sign-ups with one email: one wins, the rest land here.
      if (isDuplicateKeyError(err)) throw new BadRequestError('Email in use', 'email');
      throw err;
    }
    deps.logger.info({ userId: user.id, requestId: req.id }, 'user signed up');
    await startSession(req, res, { id: user.id, email: user.email }, deps.session);
    res.status(201).send(user);
  });
  return router;
}
