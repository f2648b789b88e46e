import { BadRequestError, defineRoute, mountRoute, retryAfterHeader } from '@ticketing/common';
import { userSchema } from '@ticketing/common/api';
import { Router } from 'express';
import { User } from '../models/user';
import { unknownUserHash, verifyPassword } from '../domain/password';
import type { AuthRateLimits } from '../domain/rate-limits';
import { startSession, type SessionSettings } from '../domain/session';
import { sessionCookieHeaders } from './session-cookie-header';
import { signinBody } from './validators';

/** Same answer for an unknown email and a wrong password, so neither reveals which. */
const INVALID_CREDENTIALS = 'Invalid credentials';

export const signinRoute = defineRoute({
  method: 'post',
  path: '/api/users/signin',
  summary: 'Sign in',
  access: 'public',
  request: { body: signinBody },
  responses: {
    200: { description: 'Signed in', headers: sessionCookieHeaders, body: userSchema },
    400: { description: '"Invalid credentials" (unknown email or wrong password alike), or invalid input (each problem with its field)' },
    429: { description: 'Too many sign-in attempts for this email from this address, or from this address', headers: retryAfterHeader },
  },
});

export function signinRouter(deps: { session: SessionSettings; limits: AuthRateLimits }): Router {
  return mountRoute(Router(), signinRoute, async (req, res) => {
    const { email, password } = signinRoute.body(req);
    await deps.limits.signinAttempt(email, req.ip);
    const user = await User.findOne({ email });
    // An unknown email still costs one scrypt, against a dummy hash: no timing difference.
    const matches = await verifyPassword(password, user?.passwordHash ?? (await unknownUserHash()));
    if (!user || !matches) throw new BadRequestError(INVALID_CREDENTIALS);
    await deps.limits.signinSucceeded(email, req.ip);
    await startSession(req, res, { id: user._id.toString(), email: user.email }, deps.session);
    res.status(200).send(user);
  });
}
