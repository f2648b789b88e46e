'use client';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { mayRenew, rememberSignedIn, renewSession } from '@/lib/api/session-renewal';
import type { CurrentUser } from '@/lib/api/types';

/** Renew this long before the token expires, but never later than this share of its life. */
const MARGIN_MS = 60_000;
const LATEST_SHARE = 0.75;

/** Milliseconds until the session should be renewed (by the browser's clock, bounded by the token's lifetime). */
function renewalDelay(user: CurrentUser): number | undefined {
  if (user.exp === undefined || user.iat === undefined) return undefined;
  const lifetimeMs = (user.exp - user.iat) * 1000;
  const latest = lifetimeMs * LATEST_SHARE;
  const beforeExpiry = user.exp * 1000 - Date.now() - Math.min(MARGIN_MS, lifetimeMs / 4);
  return Math.max(0, Math.min(beforeExpiry, latest));
}

/**
 * Keeps the session alive while a page is open: renews it shortly before the short-lived
 * token expires, and once when a page was rendered signed out although this browser was
 * signed in (the token expired while no page was open), then re-renders the page signed in.
 * Renders nothing.
 */
export function SessionKeeper({ currentUser }: { currentUser: CurrentUser | null }) {
  const router = useRouter();

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let dueAt = Infinity;

    const schedule = (user: CurrentUser) => {
      const delay = renewalDelay(user);
      if (delay === undefined) return;
      dueAt = Date.now() + delay;
      timer = setTimeout(renew, delay);
    };
    // void (here and below): renewSession answers null on any failure; it never rejects.
    const renew = () => {
      clearTimeout(timer);
      dueAt = Infinity;
      void renewSession().then((user) => {
        if (!cancelled && user) schedule(user);
      });
    };
    // Background tabs throttle timers: catch up when the tab is shown again.
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() >= dueAt) renew();
    };

    if (currentUser) {
      rememberSignedIn(true);
      schedule(currentUser);
    } else if (mayRenew()) {
      void renewSession().then((user) => {
        if (!cancelled && user) router.refresh();
      });
    }
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [currentUser, router]);

  return null;
}
