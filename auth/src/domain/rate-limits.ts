import { createHash } from 'node:crypto';
import {
  clientAddressKey,
  createRateLimiter,
  enforceRateLimits,
  REDIS_KEY_PREFIXES,
  type Logger,
  type RateLimitStore,
} from '@ticketing/common';
import type Redis from 'ioredis';

export interface RateLimitOptions {
  /** Sign-in attempts per window for one email from one client address; 0 = off. */
  signinPerMinute: number;
  /** Sign-in attempts per window from one client address, whatever the email; 0 = off. */
  signinPerAddressPerMinute: number;
  /** Sign-ups per window per client address; 0 = off. */
  signupPerMinute: number;
  /**
   * Shared store: with it every replica counts into the same Redis keys, so the limit holds
   * across replicas. Without it each process counts for itself.
   */
  redis?: Redis;
  /** Namespace of the Redis keys (tests use a fresh one per app pair); auth's Redis user may only touch keys starting with `auth-rl`. */
  keyPrefix?: string;
  logger?: Logger;
}

/**
 * Brute-force protection for the auth routes. Methods throw TooManyRequestsError (429).
 *
 * Sign-in is counted per (email, client address) pair and per client address — never per
 * email alone: a per-email limit lets anyone lock an owner out by failing five times with
 * their email. So guessing one account's password from one address is bounded by the pair
 * limit, spraying many accounts from one address by the address limit, and the owner,
 * signing in from their own address, is never refused because of someone else's failures.
 * Addresses are counted by clientAddressKey (an IPv6 client by its /64).
 *
 * Not done, on purpose: a global per-email slow-down. A growing delay does not bound an
 * attacker who sends in parallel, and it slows the owner; refusing would bring the lockout
 * back. An attacker with many addresses is bounded per address: that is the ingress's (or a
 * WAF's) job to notice.
 */
export interface AuthRateLimits {
  /** Counts one sign-in attempt (successful or not) for the (email, address) pair and the address. */
  signinAttempt(email: string, ip: string | undefined): Promise<void>;
  /** A correct password clears that pair's count (only the owner's own address: not an attacker's). */
  signinSucceeded(email: string, ip: string | undefined): Promise<void>;
  /** Counts one sign-up from the address. */
  signupAttempt(ip: string | undefined): Promise<void>;
}

export function createRateLimits(opts: RateLimitOptions): AuthRateLimits {
  const store: RateLimitStore = opts.redis ? { kind: 'redis', client: opts.redis } : { kind: 'memory' };
  const limiter = (name: string, points: number) => createRateLimiter({ name, points, store, keyPrefix: opts.keyPrefix ?? REDIS_KEY_PREFIXES.auth });
  const signinByPair = limiter('signin-pair', opts.signinPerMinute);
  const signinByAddress = limiter('signin-address', opts.signinPerAddressPerMinute);
  const signupByAddress = limiter('signup-address', opts.signupPerMinute);
  const pairKey = (email: string, ip: string | undefined) => `${emailKey(email)}|${clientAddressKey(ip)}`;

  return {
    signinAttempt: (email, ip) => {
      const address = clientAddressKey(ip);
      return enforceRateLimits(
        [
          // Logged by the email's hash only: enough to correlate attempts without writing it out.
          { limiter: signinByPair, key: pairKey(email, ip), log: { email: emailKey(email), address } },
          { limiter: signinByAddress, key: address, log: { address } },
        ],
        opts.logger,
      );
    },
    signinSucceeded: (email, ip) => signinByPair?.reset(pairKey(email, ip)) ?? Promise.resolve(),
    signupAttempt: (ip) => {
      const address = clientAddressKey(ip);
      return enforceRateLimits([{ limiter: signupByAddress, key: address, log: { address } }], opts.logger);
    },
  };
}

/** Emails are counted under their SHA-256, so Redis keys and logs don't show them in clear. */
function emailKey(email: string): string {
  return createHash('sha256').update(email.toLowerCase()).digest('base64url');
}
