'use client';
import { useRouter } from 'next/navigation';
import { useContext, useEffect, useRef } from 'react';
import { LiveContext, type LiveEvent } from './LiveProvider';

export type { LiveEvent, LiveEventName } from './LiveProvider';

/**
 * Calls `onEvent` for each pushed change that `filter` accepts (see LiveProvider), and for every
 * `reset` (changes were missed: reload what you show). Both may change on every render; outside
 * a LiveProvider nothing is called.
 */
export function useLive(filter: (e: LiveEvent) => boolean, onEvent: (e: LiveEvent) => void): void {
  const hub = useContext(LiveContext);
  const latest = useRef({ filter, onEvent });
  latest.current = { filter, onEvent };
  useEffect(() => {
    if (!hub) return;
    return hub.subscribe((e) => {
      if (e.event === 'reset' || latest.current.filter(e)) latest.current.onEvent(e);
    });
  }, [hub]);
}

/** Re-renders the server-rendered page (router.refresh) after matching changes, at most once per `delayMs`. */
export function useLiveRefresh(filter: (e: LiveEvent) => boolean, delayMs = 250): void {
  const router = useRouter();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(pending.current), []);
  useLive(filter, () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      router.refresh();
    }, delayMs);
  });
}
