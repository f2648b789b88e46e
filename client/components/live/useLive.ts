'use client';
import { useRouter } from 'next/navigation';
import { useContext, useEffect, useEffectEvent, useRef } from 'react';
import { LiveContext, type LiveEvent } from './LiveProvider';

export type { LiveEvent, LiveEventName } from './LiveProvider';

/**
 * Calls `onEvent` for each pushed change that `filter` accepts (see LiveProvider), and for every
 * `reset` (changes were missed: reload what you show). Both may change on every render; outside
 * a LiveProvider nothing is called.
 */
export function useLive(filter: (e: LiveEvent) => boolean, onEvent: (e: LiveEvent) => void): void {
  const hub = useContext(LiveContext);
  // An effect event sees the latest filter and onEvent without resubscribing on every render.
  const deliver = useEffectEvent((e: LiveEvent) => {
    if (e.event === 'reset' || filter(e)) onEvent(e);
  });
  useEffect(() => {
    if (!hub) return;
    return hub.subscribe((e) => deliver(e));
  }, [hub]);
}

/**
 * How long the edge may serve the anonymous catalogue from its micro-cache after a change
 * (infra/local/src/edge/policy.ts FRESHNESS_SECONDS; a test keeps them equal), plus a margin.
 * A ticket event can arrive before that: the page is refreshed again once it has passed.
 */
export const CATALOGUE_FRESHNESS_MS = 1_000;
const FRESH_AGAIN_MS = CATALOGUE_FRESHNESS_MS + 200;

/** Re-renders the server-rendered page (router.refresh) after matching changes, at most once per `delayMs`. */
export function useLiveRefresh(filter: (e: LiveEvent) => boolean, delayMs = 250): void {
  const router = useRouter();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const again = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(
    () => () => {
      clearTimeout(pending.current);
      clearTimeout(again.current);
    },
    [],
  );
  useLive(filter, (e) => {
    if (e.event === 'ticket') {
      clearTimeout(again.current);
      again.current = setTimeout(() => router.refresh(), FRESH_AGAIN_MS);
    }
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      router.refresh();
    }, delayMs);
  });
}
