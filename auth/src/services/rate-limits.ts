import { createHash } from 'node:crypto';
import { TooManyRequestsError, type Logger } from '@ticketing/common';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Every limit counts within a fixed 60 s window. */
const WINDOW_SECONDS = 60;

export interface RateLimitOptions {
  /** Sign-in attempts per window, counted per email and per client address; 0 = off. */
  signinPerMinute: number;
  /** Sign-ups per window per client address; 0 = off. */
  signupPerMinute: number;
  /**
   * Shared store: with it every replica counts into the same Redis keys, so the limit holds
   * across replicas. Without it each process counts for itself.
   */
  redis?: Redis;
  /** Namespace of the Redis keys (tests use a fresh one per app pair). */
  keyPrefix?: string;
  logger?: Logger;
}

/** Brute-force protection for the auth routes. Methods throw TooManyRequestsError (429). */
export interface AuthRateLimits {
  /** Counts one sign-in attempt for `email` and for `ip`, successful or not. */
  signinAttempt(email: string, ip: string): Promise<void>;
  /** A correct password clears the per-email counter (the per-address one keeps counting). */
  signinSucceeded(email: string): Promise<void>;
  /** Counts one sign-up from `ip`. */
  signupAttempt(ip: string): Promise<void>;
}

type Limiter = RateLimiterAbstract | undefined;

export function createRateLimits(opts: RateLimitOptions): AuthRateLimits {
  const prefix = opts.keyPrefix ?? 'auth-rl';
  const limiter = (name: string, points: number): Limiter => {
    if (points <= 0) return undefined;
    const base = { keyPrefix: `${prefix}:${name}`, points, duration: WINDOW_SECONDS };
    if (!opts.redis) return new RateLimiterMemory(base);
    return new RateLimiterRedis({
      ...base,
      storeClient: opts.redis,
      // While Redis is unreachable, don't wait for it: count in this process instead, so
      // brute-force protection degrades to per-replica limits rather than to none (or to 500s).
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(base),
    });
  };
  const signinByEmail = limiter('signin-email', opts.signinPerMinute);
  const signinByIp = limiter('signin-ip', opts.signinPerMinute);
  const signupByIp = limiter('signup-ip', opts.signupPerMinute);

  /** Consumes one point of each check; over any of them → 429 after the longest wait. */
  const consume = async (checks: { limiter: Limiter; key: string; log: Record<string, string> }[]) => {
    const results = await Promise.allSettled(checks.map(({ limiter, key }) => (limiter ? limiter.consume(key) : undefined)));
    let retryMs = -1;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      // With an insurance limiter the store never rejects with an error, but never hide one.
      if (!(result.reason instanceof RateLimiterRes)) throw result.reason;
      retryMs = Math.max(retryMs, result.reason.msBeforeNext);
      opts.logger?.warn(checks[i].log, 'rate limit exceeded');
    });
    if (retryMs >= 0) throw new TooManyRequestsError(Math.ceil(retryMs / 1000));
  };

  return {
    signinAttempt: (email, ip) =>
      consume([
        // Logged by its hash only: enough to correlate attempts without writing the email out.
        { limiter: signinByEmail, key: emailKey(email), log: { limit: 'signin per email', key: emailKey(email) } },
        { limiter: signinByIp, key: ip, log: { limit: 'signin per address', ip } },
      ]),
    signinSucceeded: async (email) => {
      // Best effort: a store hiccup must not turn a correct sign-in into an error.
      await signinByEmail?.delete(emailKey(email)).catch((err: unknown) => {
        opts.logger?.warn({ err }, 'could not reset the sign-in counter');
      });
    },
    signupAttempt: (ip) => consume([{ limiter: signupByIp, key: ip, log: { limit: 'signup per address', ip } }]),
  };
}

/** Emails are counted under their SHA-256, so Redis keys and logs don't show them in clear. */
function emailKey(email: string): string {
  return createHash('sha256').update(email).digest('base64url');
}
