/** `base · 2^(attempt-1)`, capped at `max`; attempt 1 waits `base`. */
export function cappedBackoff(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
}
