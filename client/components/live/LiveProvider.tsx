'use client';
import { createContext, useEffect, useRef, useState, type ReactNode } from 'react';

/**
 * The kinds of message GET /api/live sends (see live/src/openapi.ts). `reset`: the stream could
 * not replay what was missed (too far behind); whatever the page shows may be stale.
 */
export const LIVE_EVENTS = ['ticket', 'order', 'waitlist', 'reset'] as const;
export type LiveEventName = (typeof LIVE_EVENTS)[number];

/** One pushed change: `ticket` {id, version, status, title, price}; `order` {id, event, ticketId?…}; `waitlist` {ticketId, status, position?…}. */
export interface LiveEvent {
  event: LiveEventName;
  data: { id?: string; ticketId?: string; [key: string]: unknown };
}

type Listener = (e: LiveEvent) => void;

export interface LiveHub {
  subscribe(listener: Listener): () => void;
}

export const LiveContext = createContext<LiveHub | null>(null);

/** How long to wait before opening a new stream after the browser gave up on one. */
const REOPEN_MS = 3000;

/**
 * One EventSource on /api/live for the whole page, shared by every useLive. The browser
 * reconnects by itself with Last-Event-ID; if it gives up (the gateway answered an error), a
 * new stream starts from the last id seen, so nothing is missed either way. Remount it (a
 * `key`) when the signed-in user changes: the stream's private part follows the cookie.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [hub] = useState<LiveHub>(() => ({
    subscribe: (listener) => {
      listeners.current.add(listener);
      return () => void listeners.current.delete(listener);
    },
  }));

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | undefined;
    let lastId = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      source = new EventSource(lastId ? `/api/live?lastEventId=${encodeURIComponent(lastId)}` : '/api/live');
      for (const name of LIVE_EVENTS) {
        source.addEventListener(name, (e: MessageEvent<string>) => {
          if (e.lastEventId) lastId = e.lastEventId;
          let data: LiveEvent['data'];
          try {
            data = JSON.parse(e.data) as LiveEvent['data'];
          } catch {
            return;
          }
          for (const listener of listeners.current) listener({ event: name, data });
        });
      }
      source.onerror = () => {
        if (source?.readyState !== EventSource.CLOSED) return; // the browser is reconnecting
        timer = setTimeout(open, REOPEN_MS);
      };
    };
    open();
    return () => {
      clearTimeout(timer);
      source?.close();
    };
  }, []);

  return <LiveContext.Provider value={hub}>{children}</LiveContext.Provider>;
}
