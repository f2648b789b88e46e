import type { UserPayload } from '../middlewares/types';
import type { SessionPublicKeys } from './public-keys';
import { verifySessionToken } from './verify';

/** Most tokens remembered per process; the oldest is forgotten first. */
const MAX_ENTRIES = 10_000;

/**
 * verifySessionToken with a memory of the tokens it accepted: a user sends the same token
 * with every request, and checking its ES256 signature was ~40 % of a service's middleware
 * CPU (bench/tools/middleware-cost.ts). Only accepted tokens are remembered (a forged one
 * never is, so junk cannot fill it), each until its `exp` (one without `exp` or with `nbf` is
 * checked every time), keyed by the exact token text; the keys are the process's, fixed at
 * start. Same answers as verifySessionToken at every moment.
 */
export function cachedSessionVerifier(keys: SessionPublicKeys, now = Date.now) {
  const accepted = new Map<string, { payload: UserPayload; expiresAtMs: number }>();
  return (token: string): UserPayload | null => {
    const hit = accepted.get(token);
    if (hit) {
      if (now() < hit.expiresAtMs) return hit.payload;
      accepted.delete(token);
    }
    const payload = verifySessionToken(token, keys);
    // A token with a not-before claim is not cached (decoded JSON has no undefined values).
    if (payload && typeof payload.exp === 'number' && !('nbf' in payload)) {
      if (accepted.size >= MAX_ENTRIES) accepted.delete(accepted.keys().next().value!);
      accepted.set(token, { payload, expiresAtMs: payload.exp * 1000 });
    }
    return payload;
  };
}
