/**
 * What a handler failure means for the message, which decides whether it may ever be
 * dead-lettered:
 * - `poison`: the message itself is the problem (a handler bug, a state that cannot be
 *   reached). Counted; dead-lettered after the runner's budget.
 * - `not-yet`: the message is fine but must wait (e.g. an earlier version has not arrived).
 *   Retried for as long as it takes, never counted.
 * - `infrastructure`: a dependency is unreachable or slow (MongoDB, Redis, NATS, a timeout).
 *   Retried for as long as it takes with capped backoff, never counted.
 */
export type FailureKind = 'poison' | 'not-yet' | 'infrastructure';

/** Thrown by a handler that cannot apply an event yet (e.g. a newer version than expected). */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * Thrown (or used to wrap a cause) by a handler whose failure is an outage the classifier
 * cannot recognise, e.g. a third-party API answering 503.
 */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** Error class names of the MongoDB driver and mongoose that mean "the server is not reachable now". */
const MONGO_UNAVAILABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoPoolClearedError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'MongoServerClosedError',
  'MongoWaitQueueTimeoutError',
  'MongoOperationTimeoutError',
]);

/** Server error codes that mean a failover, a shutdown or an overloaded server, not a bad request. */
const MONGO_TRANSIENT_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  112, // WriteConflict
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const MONGO_TRANSIENT_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'PoolRequstedRetry'];

/** Node's socket-level error codes: the other end is gone or not answering. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

/** Messages of ioredis / Bull / mongoose errors that carry no distinguishing class or code. */
const TRANSIENT_MESSAGES = [
  /buffering timed out/i, // mongoose: an operation queued while disconnected
  /connection is closed/i, // ioredis: command on a closed connection
  /stream isn't writeable/i, // ioredis with the offline queue off
  /reached the max retries per request/i, // ioredis MaxRetriesPerRequestError
  /connection (was )?(force )?closed/i,
  /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY)\b/, // Redis server busy or failing over
];

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errorLabels?: unknown;
  errorLabelSet?: unknown;
  hasErrorLabel?: unknown;
};

function hasTransientLabel(e: ErrorLike): boolean {
  if (typeof e.hasErrorLabel === 'function') {
    return MONGO_TRANSIENT_LABELS.some((l) => (e.hasErrorLabel as (l: string) => boolean).call(e, l));
  }
  return Array.isArray(e.errorLabels) && e.errorLabels.some((l) => MONGO_TRANSIENT_LABELS.includes(String(l)));
}

function isInfrastructure(e: ErrorLike): boolean {
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (name === 'TransientError' || name === 'MaxRetriesPerRequestError') return true;
  // Every NATS client error (timeout, no responders, disconnected, closed) is about the broker.
  if (name === 'NatsError') return true;
  // AbortSignal.timeout(), undici's timeouts.
  if (name === 'TimeoutError' || name === 'AbortError') return true;
  if (MONGO_UNAVAILABLE.has(name) || hasTransientLabel(e)) return true;
  if (typeof e.code === 'number' && /^Mongo/.test(name) && MONGO_TRANSIENT_CODES.has(e.code)) return true;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return true;
  return TRANSIENT_MESSAGES.some((re) => re.test(message));
}

/**
 * Classifies a handler failure. Looks through `cause` chains (and AggregateErrors), so an
 * error that wraps an outage is still an outage. Anything unrecognised is `poison`: better
 * a dead letter an operator can replay than a bug retried for ever without anyone knowing.
 */
export function classifyFailure(err: unknown): FailureKind {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  let kind: FailureKind = 'poison';
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (e instanceof RetryLaterError || (e as ErrorLike).name === 'RetryLaterError') kind = 'not-yet';
    else if (isInfrastructure(e)) return 'infrastructure';
    queue.push((e as ErrorLike).cause);
    if (e instanceof AggregateError) queue.push(...(e.errors as unknown[]));
  }
  return kind;
}
