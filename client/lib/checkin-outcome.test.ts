import { ApiError } from './api/types';
import { checkinOutcomeOf } from './checkin-outcome';

const refused = (status: number, message: string) => new ApiError(status, [{ message }]);

describe('checkinOutcomeOf: what the door sees for a refused check-in', () => {
  it('tells "already used" from "superseded" (both 409)', () => {
    expect(checkinOutcomeOf(refused(409, 'Ticket already used'))).toEqual({ kind: 'used', message: 'Ticket already used' });
    expect(checkinOutcomeOf(refused(409, 'Ticket code was superseded'))).toEqual({ kind: 'superseded', message: 'Ticket code was superseded' });
  });

  it('does not call a conflict that decided nothing "already used"', () => {
    expect(checkinOutcomeOf(refused(409, 'Ticket was modified concurrently; scan again'))).toEqual({
      kind: 'failed',
      message: 'Ticket was modified concurrently; scan again',
    });
  });

  it('reads 400 and 404 as an invalid code', () => {
    expect(checkinOutcomeOf(refused(400, 'Invalid ticket code'))).toEqual({ kind: 'invalid', message: 'Invalid ticket code' });
    expect(checkinOutcomeOf(refused(404, 'Not found')).kind).toBe('invalid');
  });

  it('explains a scanner that may not check this ticket in, or is signed out', () => {
    expect(checkinOutcomeOf(refused(403, 'Forbidden'))).toEqual({ kind: 'failed', message: 'Only the organizer of this event can check this ticket in.' });
    expect(checkinOutcomeOf(refused(401, 'Not authorized')).kind).toBe('failed');
  });

  it('passes other failures on as they are', () => {
    expect(checkinOutcomeOf(refused(0, 'The ticketing service cannot be reached'))).toEqual({ kind: 'failed', message: 'The ticketing service cannot be reached' });
    expect(checkinOutcomeOf(new Error('boom')).kind).toBe('failed');
  });
});
