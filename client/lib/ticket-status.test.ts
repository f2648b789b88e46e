import { resaleCeiling, ticketStatus, ticketStatusLabel } from './ticket-status';

describe('ticket status', () => {
  it('takes the API status, or derives it from the reservation of older answers', () => {
    expect(ticketStatus({ status: 'sold', orderId: 'o1' })).toBe('sold');
    expect(ticketStatus({ orderId: 'o1' })).toBe('reserved');
    expect(ticketStatus({ orderId: null })).toBe('available');
    expect(ticketStatusLabel('delisted')).toBe('Withdrawn');
  });

  it('computes the resale ceiling of a capped ticket, rounded to cents', () => {
    expect(resaleCeiling({ faceValue: 33.33, resaleCapPercent: 10 })).toBe(36.66);
    expect(resaleCeiling({ faceValue: 20, resaleCapPercent: 0 })).toBe(20);
    expect(resaleCeiling({ faceValue: 20 })).toBeUndefined();
    expect(resaleCeiling({ faceValue: 20, resaleCapPercent: null })).toBeUndefined();
  });
});
