// Browser-side API calls: relative `/api/...` URLs (same origin behind the gateway or the
// ingress), so the browser sends and stores the `session` cookie itself.
import { renewSession, renewsOn401 } from './session-renewal';
import { ApiError, errorItemsFrom, parseJson, UNREACHABLE, UNREACHABLE_MESSAGE, type ApiErrorItem } from './types';

async function send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(UNREACHABLE, [{ message: UNREACHABLE_MESSAGE }]);
  }
}

/**
 * Calls the API; resolves with the JSON body, or rejects with an ApiError. A 401 from a
 * service means the short-lived session token expired (or is missing): the session is
 * renewed once with the refresh cookie and the request sent again. A 401 rejected the
 * request before it changed anything, so sending it again is safe.
 */
export async function apiRequest<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let res = await send(method, path, body);
  if (res.status === 401 && renewsOn401(path) && (await renewSession())) res = await send(method, path, body);
  const parsed = parseJson(await res.text());
  if (!res.ok) throw new ApiError(res.status, errorItemsFrom(res.status, parsed));
  return parsed as T;
}

/** The error items to show for anything a form submission threw. */
export function errorItemsOf(err: unknown): ApiErrorItem[] {
  if (err instanceof ApiError) return err.errors;
  return [{ message: 'Something unexpected went wrong. Please try again.' }];
}

const REPLICA_RETRY_MS = 600;
const REPLICA_ATTEMPTS = 10;

/**
 * Like apiRequest, but a 404 is retried for a few seconds. A ticket listed (or an order placed)
 * a moment ago reaches the orders (or payments) service by event, so for a short while that
 * service may not know it yet. A 404 means nothing was created or charged, so retrying is safe.
 */
export async function apiRequestAwaitingReplica<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await apiRequest<T>(method, path, body);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404) || attempt >= REPLICA_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, REPLICA_RETRY_MS));
    }
  }
}
