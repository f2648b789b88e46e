import { safeNextPath, signInHref } from './safe-next';

describe('safeNextPath: where signing in may return to', () => {
  it.each([
    ['/tickets/mine', '/tickets/mine'],
    ['/tickets/abc?x=1#top', '/tickets/abc?x=1#top'],
    ['/', '/'],
    ['/orders/../tickets/mine', '/tickets/mine'],
  ])('keeps the same-origin path %s', (raw, expected) => {
    expect(safeNextPath(raw)).toBe(expected);
  });

  it.each([
    ['//evil.com'],
    ['//evil.com/tickets'],
    ['https://evil.com/'],
    ['http://evil.com'],
    ['/\\evil.com'],
    ['\\\\evil.com'],
    ['javascript:alert(1)'],
    ['evil.com'],
    ['/\t/evil.com'],
    ['/%0a/x\n'],
    ['/auth/signout'],
    [''],
  ])('refuses %j and goes home instead', (raw) => {
    expect(safeNextPath(raw)).toBe('/');
  });

  it('refuses anything that is not one string', () => {
    expect(safeNextPath(undefined)).toBe('/');
    expect(safeNextPath(null)).toBe('/');
    expect(safeNextPath(['/a', '/b'])).toBe('/');
  });

  it('builds the sign-in link that comes back', () => {
    expect(signInHref('/tickets/mine')).toBe('/auth/signin?next=%2Ftickets%2Fmine');
    expect(signInHref('/')).toBe('/auth/signin');
    expect(signInHref('//evil.com')).toBe('/auth/signin');
    expect(signInHref('/tickets/a', 'signup')).toBe('/auth/signup?next=%2Ftickets%2Fa');
  });
});
