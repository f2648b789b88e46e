import { ticketIdOfCode } from './ticket-code';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const codeWith = (payload: unknown) => `${b64url({ alg: 'ES256', kid: 'k1' })}.${b64url(payload)}.c2lnbmF0dXJl`;

describe('ticketIdOfCode: the ticket a scanned code is for', () => {
  it('reads the ticket id from the payload (surrounding whitespace of a paste ignored)', () => {
    expect(ticketIdOfCode(codeWith({ tid: '65f0c0ffee0000000000abcd', d: 2, h: 'u1', iat: 1 }))).toBe('65f0c0ffee0000000000abcd');
    expect(ticketIdOfCode(`  ${codeWith({ tid: 'abc', d: 1 })}\n`)).toBe('abc');
  });

  it('reads payloads with non-ASCII text', () => {
    expect(ticketIdOfCode(codeWith({ tid: 'abc', note: 'Ünïcødé ✓' }))).toBe('abc');
  });

  it.each([
    ['not a code'],
    ['a.b'],
    ['a.b.c.d'],
    [`${b64url({})}.${'%%%'}.sig`],
    [`${b64url({})}.${Buffer.from('not json').toString('base64url')}.sig`],
    [codeWith({ d: 1 })],
    [codeWith({ tid: 42 })],
    [codeWith({ tid: '../../users' })],
    [codeWith('just a string')],
  ])('answers null for %j', (text) => {
    expect(ticketIdOfCode(text)).toBeNull();
  });
});
