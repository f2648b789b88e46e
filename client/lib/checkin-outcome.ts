import { ApiError, type CheckinAnswer } from './api/types';

/** What the door sees after a scan. */
export type CheckinOutcome =
  | { kind: 'admitted'; answer: CheckinAnswer }
  /** This code was already admitted once. */
  | { kind: 'used'; message: string }
  /** The ticket changed hands (or was listed again) since this code was issued. */
  | { kind: 'superseded'; message: string }
  /** Not a ticket code, a forged one, or one for another ticket. */
  | { kind: 'invalid'; message: string }
  /** Signed out, not this event's organizer, or the service unreachable. */
  | { kind: 'failed'; message: string };

/** A refused POST /api/tickets/:id/checkin (or a network failure) as the door sees it. */
export function checkinOutcomeOf(err: unknown): CheckinOutcome {
  if (!(err instanceof ApiError)) return { kind: 'failed', message: 'Something unexpected went wrong. Please try again.' };
  const message = err.errors.map((e) => e.message).join(' ');
  if (err.status === 409) {
    if (/superseded/i.test(message)) return { kind: 'superseded', message };
    if (/already used/i.test(message)) return { kind: 'used', message };
    // e.g. "modified concurrently; scan again": nothing was decided about this code.
    return { kind: 'failed', message };
  }
  // 404: the code names a ticket that does not exist; as invalid as a bad signature.
  if (err.status === 400 || err.status === 404) return { kind: 'invalid', message: message || 'Invalid ticket code' };
  if (err.status === 403) return { kind: 'failed', message: 'Only the organizer of this event can check this ticket in.' };
  if (err.status === 401) return { kind: 'failed', message: 'Please sign in again to check tickets in.' };
  return { kind: 'failed', message };
}
