// Silent session renewal in the browser. The session token lives 15 minutes; the refresh
// token (an HttpOnly cookie the browser sends only to POST /api/users/refresh) renews it.
// A refresh token is single-use and reusing one signs the user out everywhere, so every
// caller in this tab shares one refresh at a time.
import type { CurrentUser } from './types';

export const REFRESH_PATH = '/api/users/refresh';

/**
 * "This browser had a session": set while signed in, cleared on sign-out or a failed renewal.
 * It only decides whether a page rendered signed out is worth one renewal attempt (the
 * refresh cookie itself is HttpOnly, so scripts cannot see whether there is one). Not a secret.
 */
const HINT = 'ticketing.signed-in';

export function rememberSignedIn(signedIn: boolean): void {
  try {
    if (signedIn) window.localStorage.setItem(HINT, '1');
    else window.localStorage.removeItem(HINT);
  } catch {
    // storage unavailable (private mode): renewal still happens on a 401
  }
}

export function mayRenew(): boolean {
  try {
    return window.localStorage.getItem(HINT) === '1';
  } catch {
    return false;
  }
}

let inFlight: Promise<CurrentUser | null> | undefined;

/** Renews the session once (shared by concurrent callers): the renewed user, or null when signed out. */
export function renewSession(): Promise<CurrentUser | null> {
  inFlight ??= (async () => {
    try {
      const res = await fetch(REFRESH_PATH, { method: 'POST', credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
      if (!res.ok) {
        // 401: no valid refresh token. Anything else (an outage): keep the hint, try again later.
        if (res.status === 401) rememberSignedIn(false);
        return null;
      }
      const body = (await res.json()) as { currentUser: CurrentUser | null };
      rememberSignedIn(!!body.currentUser);
      return body.currentUser;
    } catch {
      return null;
    } finally {
      inFlight = undefined;
    }
  })();
  return inFlight;
}

/** Requests whose 401 is not "the session expired": renewing would not change their answer. */
export function renewsOn401(path: string): boolean {
  return !path.startsWith('/api/users/');
}
