import type { RequestHandler } from 'express';
import mongoose, { type Connection } from 'mongoose';
import {
  RateLimiterMemory,
  RateLimiterMongo,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterStoreOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors';
import type { Logger } from '../telemetry';

/**
 * Where a limit's counters live. Every replica of a service must count into the same store
 * for the limit to hold across replicas:
 * - `redis`: an ioredis client (auth, which has Redis);
 * - `mongo`: a mongoose connection, counters in a collection of the service's own database
 *   (orders, payments: they have no Redis). The collection is prepared once the connection
 *   is open; until then the in-process fallback counts;
 * - `memory`: this process only (tests, or a single replica).
 */
export type RateLimitStore =
  | { kind: 'memory' }
  | { kind: 'redis'; client: unknown }
  | { kind: 'mongo'; connection: Connection };

export interface RateLimiterOptions {
  /** Names the counter (key namespace, collection, log lines), e.g. `orders-per-user`. */
  name: string;
  /** Requests allowed per window; 0 (or less) turns the limit off. */
  points: number;
  /** Window length. Default 60 s: every configured limit is "per minute". */
  windowSeconds?: number;
  store?: RateLimitStore;
  /** Namespace in front of `name` (tests use a fresh one). Default `rl`. */
  keyPrefix?: string;
}

/** A fixed-window counter per key. */
export interface RateLimiter {
  readonly name: string;
  /** Counts one request for `key`: `retryAfterMs` is set when it went over the limit. */
  consume(key: string): Promise<{ allowed: boolean; retryAfterMs: number }>;
  /** Forgets `key`'s count (best effort: a store error is swallowed). */
  reset(key: string): Promise<void>;
}

/**
 * A limiter over `store`, or undefined when `points` is 0 (off). A store that is unreachable
 * never turns into a 500 and never into "no limit": each process counts for itself until the
 * store answers again (the library's insurance limiter).
 */
export function createRateLimiter(opts: RateLimiterOptions): RateLimiter | undefined {
  if (opts.points <= 0) return undefined;
  const base = { keyPrefix: `${opts.keyPrefix ?? 'rl'}-${opts.name}`, points: opts.points, duration: opts.windowSeconds ?? 60 };
  const limiter = storeLimiter(opts.store ?? { kind: 'memory' }, base);
  return {
    name: opts.name,
    consume: async (key) => {
      try {
        await limiter.consume(key);
        return { allowed: true, retryAfterMs: 0 };
      } catch (err) {
        // With an insurance limiter the store never rejects with an error, but never hide one.
        if (!(err instanceof RateLimiterRes)) throw err;
        return { allowed: false, retryAfterMs: err.msBeforeNext };
      }
    },
    reset: async (key) => {
      await limiter.delete(key).catch(() => undefined);
    },
  };
}

function storeLimiter(store: RateLimitStore, base: { keyPrefix: string; points: number; duration: number }): RateLimiterAbstract {
  if (store.kind === 'memory') return new RateLimiterMemory(base);
  const shared: IRateLimiterStoreOptions = { ...base, storeClient: undefined, insuranceLimiter: new RateLimiterMemory(base) };
  if (store.kind === 'redis') {
    // While Redis is unreachable, don't wait for it: count in this process instead.
    return new RateLimiterRedis({ ...shared, storeClient: store.client, rejectIfRedisNotReady: true });
  }
  // The connection is handed over once open (a promise): before that the library has no
  // collection and every call is counted by the insurance, instead of waiting in mongoose's
  // command buffer. (rate-limiter-flexible 9+ always asks for the updated counter; 7 guessed
  // the option from the driver's version and, on mongoose 9's driver 7, counted one short.)
  // Counters expire by a TTL index on `expire`, and by the window check where TTL is absent.
  // On the mongo-java-server stand-in a burst of concurrent requests for one key can be
  // over-counted (measured: 20 at once against a limit of 5 let 3–5 through), never under.
  return new RateLimiterMongo({ ...shared, storeClient: whenOpen(store.connection), tableName: MONGO_COLLECTION });
}

/** One collection holds every limiter's counters (keys carry the limiter's prefix). */
const MONGO_COLLECTION = 'rate_limits';

/** Resolves with the connection once it is open (mongoose's asPromise() resolves at once before connect()). */
function whenOpen(connection: Connection): Promise<Connection> {
  if (connection.readyState === mongoose.ConnectionStates.connected) return Promise.resolve(connection);
  return new Promise((resolve) => connection.once('open', () => resolve(connection)));
}

export interface RateLimitCheck {
  limiter: RateLimiter | undefined;
  key: string;
  /** Extra fields of the warning logged when this check refuses (never secrets). */
  log?: Record<string, unknown>;
}

/**
 * Counts one request in every check (all of them, so each counter sees every request);
 * if any is over its limit, throws TooManyRequestsError (429) with the longest wait as
 * Retry-After. Limiters that are off (undefined) are skipped.
 */
export async function enforceRateLimits(checks: RateLimitCheck[], logger?: Logger): Promise<void> {
  const results = await Promise.all(checks.map(async (c) => (c.limiter ? c.limiter.consume(c.key) : { allowed: true, retryAfterMs: 0 })));
  let retryAfterMs = -1;
  results.forEach((result, i) => {
    if (result.allowed) return;
    retryAfterMs = Math.max(retryAfterMs, result.retryAfterMs);
    logger?.warn({ limit: checks[i].limiter!.name, ...checks[i].log }, 'rate limit exceeded');
  });
  if (retryAfterMs >= 0) throw new TooManyRequestsError(Math.ceil(retryAfterMs / 1000));
}

/**
 * Express middleware: one request counted under `key(req)`; over the limit → 429 with
 * Retry-After (through the error handler, in the error contract). With `limiter` undefined
 * (the limit is 0) it only calls next(). Place it after requireAuth to count per user.
 */
export function rateLimit(opts: { limiter: RateLimiter | undefined; key: (req: Parameters<RequestHandler>[0]) => string; logger?: Logger }): RequestHandler {
  const { limiter } = opts;
  if (!limiter) return (_req, _res, next) => next();
  return async (req, _res, next) => {
    await enforceRateLimits([{ limiter, key: opts.key(req), log: { requestId: req.id } }], opts.logger);
    next();
  };
}

/**
 * Requests per signed-in user per minute (place it after requireAuth), counted in the
 * service's own MongoDB unless `store` says otherwise, so every replica shares the count.
 * `perMinute` 0 turns it off.
 */
export function perUserRateLimit(opts: { name: string; perMinute: number; store?: RateLimitStore; logger?: Logger }): RequestHandler {
  const limiter = createRateLimiter({
    name: opts.name,
    points: opts.perMinute,
    store: opts.store ?? { kind: 'mongo', connection: mongoose.connection },
  });
  return rateLimit({ limiter, key: (req) => req.currentUser!.id, logger: opts.logger });
}
