// What the local edge does beyond routing, per path. The routes themselves are the stack's
// PATH_RULES (the ingress's rules).

/**
 * The anonymous catalogue, micro-cached at the edge. Freshness rule: a listing change is
 * served to anonymous readers within FRESHNESS_SECONDS (a cached page is kept until the end
 * of the clock second it was fetched in; the first request after that fetches a fresh page
 * while concurrent ones get the old page until it arrives: stale-while-updating), and at
 * once to anyone who sends a session cookie (never cached, never served from the cache).
 */
export const CATALOGUE_PATHS: readonly string[] = ['/api/tickets'];
export const FRESHNESS_SECONDS = 1;

/** Server-sent event streams: unbuffered, idle for up to an hour, never cached. */
export const STREAMING_PREFIXES: readonly string[] = ['/api/live'];
