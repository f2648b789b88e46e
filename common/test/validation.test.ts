import { idSpellings } from '@ticketing/dev-servers';
import {
  canonicalObjectId,
  codePointLength,
  eventSchemas,
  PRICE_MAX,
  PRICE_MIN,
  readPrice,
  singleLineTextProblem,
  Subjects,
  utf8Length,
} from '../src';

const ID = '5f1d7a2b9c3e4d5f6a7b8c9d';

describe('canonicalObjectId', () => {
  it('lower-cases every case variant and refuses every look-alike, type and encoding', () => {
    for (const s of idSpellings(ID)) {
      expect([s.label, canonicalObjectId(s.value)]).toEqual([s.label, s.sameEntity ? ID : undefined]);
    }
  });
});

describe('event ids', () => {
  it('an event spelling ids in upper case parses to the canonical form', () => {
    const parsed = eventSchemas[Subjects.OrderCancelled].parse({ id: ID.toUpperCase(), version: 1, ticket: { id: ID.toUpperCase() } });
    expect(parsed).toEqual({ id: ID, version: 1, ticket: { id: ID } });
    expect(eventSchemas[Subjects.OrderCancelled].safeParse({ id: ` ${ID}`, version: 1, ticket: { id: ID } }).success).toBe(false);
  });
});

describe('text', () => {
  it('one length: code points (an emoji is 1; a ZWJ family is each code point it is made of)', () => {
    expect(codePointLength('😀')).toBe(1);
    expect(codePointLength('e\u0301')).toBe(2);
    expect(codePointLength('👨\u200d👩\u200d👧')).toBe(5);
    expect(utf8Length('😀')).toBe(4);
  });

  const rule = { maxLength: 3, label: 'Title' };
  it.each([
    ['😀😀😀', undefined],
    ['😀😀😀😀', 'Title must be 1 to 3 characters (Unicode code points)'],
    ['a\ud800', 'Title must be valid Unicode (no unpaired surrogates)'],
    ['a\u0000', 'Title must not contain control characters'],
    [' ab', 'Title must not start or end with whitespace'],
    ['', 'Title must be 1 to 3 characters (Unicode code points)'],
    [42, 'Title is required and must be a string'],
  ])('%j → %s', (value, problem) => {
    expect(singleLineTextProblem(value, rule)).toBe(problem);
  });
});

describe('readPrice', () => {
  it.each([
    [25, 25],
    ['25.00', 25],
    ['0.50', PRICE_MIN],
    ['999999.99', PRICE_MAX],
    [1.15, 1.15],
  ])('%j → %d', (value, price) => {
    expect(readPrice(value)).toEqual({ price });
  });

  it.each([0.49, 1_000_000, '0.49', '1e2', '+1', ' 1', '01', '1.', '.5', '1.001', 1.001, NaN, Infinity, null, [], {}, '', '0x1f'])('refuses %j', (value) => {
    expect(readPrice(value)).toEqual({ problem: expect.any(String) });
  });
});
