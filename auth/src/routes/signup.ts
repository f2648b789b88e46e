import { BadRequestError, defineRoute, isDuplicateKeyError, mountRoute, retryAfterHeader, type Logger } from '@ticketing/common';
import { userSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { User } from '../models/user';
import { hashPassword } from '../domain/password';
import type { AuthRateLimits } from '../domain/rate-limits';
import { startSession, type SessionSettings } from '../domain/session';
import { sessionCookieHeaders } from './session-cookie-header';
import { PASSWORD_MAX, PASSWORD_MIN, signupBody } from './validators';

export const signupRoute = defineRoute({
  method: 'post',
  path: '/api/users/signup',
  summary: 'Create an account and sign in',
  access: 'public',
  request: { body: signupBody },
  responses: {
    201: { description: 'Signed up', headers: sessionCookieHeaders, body: userSchema },
    400: { description: `Invalid email, password not ${PASSWORD_MIN}–${PASSWORD_MAX} characters (each problem with its field), or "Email in use"` },
    429: { description: 'Too many sign-ups from this address', headers: retryAfterHeader },
  },
});

export function signupRouter(deps: { session: SessionSettings; limits: AuthRateLimits; logger: Logger }): Router {
  return mountRoute(Router(), signupRoute, async (req, res) => {
    await deps.limits.signupAttempt(req.ip);
    const { email, password } = signupRoute.body(req);
    let user;
    try {
      user = await User.create({ email, passwordHash: await hashPassword(password) });
    } catch (err) {
      // The unique index settles concurrent sign-ups with one email: one wins, the rest land here.
      if (isDuplicateKeyError(err)) throw new BadRequestError('Email in use', 'email');
      throw err;
    }
    deps.logger.info({ userId: user.id, requestId: req.id }, 'user signed up');
    await startSession(req, res, { id: user._id.toString(), email: user.email }, deps.session);
    res.status(201).send(user);
  });
}
