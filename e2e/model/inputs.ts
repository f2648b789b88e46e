import fc from 'fast-check';

/**
 * What the system must do with an input, whatever the rest of the state:
 *   valid   → accepted (2xx) unless a fault is in the way
 *   invalid → 400
 *   either  → 2xx or 4xx, never 5xx; if accepted, it reads back exactly as sent
 */
export type Verdict = 'valid' | 'invalid' | 'either';

export interface TitleInput {
  title: string;
  verdict: Verdict;
  label: string;
}

export interface PriceInput {
  /** As sent in the JSON body: a number or a numeric string like "25.00". */
  price: number | string;
  /** The number it means, when valid. */
  value: number;
  verdict: Verdict;
}

/** Letters, marks and symbols a seller types, emoji included (a ZWJ family, a flag, skin tones). */
const WORD_CHARS = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'éèüñçøßÅÖ', // Latin with diacritics
  'e\u0301', // e + combining acute
  ...'日本語のコンサート한국어中文', // CJK
  ...'Привет', // Cyrillic
  ...'שלוםمرحبا', // right-to-left scripts
  '🎫', '🎸', '🎉', '🔥', '🤘🏽', '👨‍👩‍👧', '🇫🇷', '❤️', '😀',
  ...'-&!?\'".,:()/#@+',
];

const word = fc.array(fc.constantFrom(...WORD_CHARS), { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));

/** 1 to ~40 code points, words separated by single spaces, no space at either end. */
const validTitle = fc.array(word, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' '));

/** Near or past the length limit (counted however the system counts): accepted intact or refused. */
const longTitle = fc.integer({ min: 100, max: 130 }).chain((n) =>
  fc.array(fc.constantFrom('🎫', '😀', 'a', 'é', '日', '🇫🇷'), { minLength: n, maxLength: n }).map((cs) => cs.join('')),
);

/** Hostile strings: accepted intact or refused, never a 5xx. */
const oddTitle = fc.constantFrom(
  'Lone \ud83c surrogate',
  'Low \udfab first',
  'NUL\u0000inside',
  'Line\nbreak',
  'Tab\there',
  ' Leading space',
  'Trailing space ',
  '   ',
  '\u202eRTL override',
  'Zero\u200bwidth',
  '<script>alert(1)</script>',
  '{"$gt": ""}',
);

export const titleInput: fc.Arbitrary<TitleInput> = fc.oneof(
  { weight: 12, arbitrary: validTitle.map((title) => ({ title, verdict: 'valid' as const, label: 'unicode' })) },
  { weight: 2, arbitrary: longTitle.map((title) => ({ title, verdict: 'either' as const, label: `${[...title].length} code points` })) },
  { weight: 2, arbitrary: oddTitle.map((title) => ({ title, verdict: 'either' as const, label: 'odd' })) },
  { weight: 1, arbitrary: fc.constant({ title: '', verdict: 'invalid' as const, label: 'empty' }) },
);

/** Chargeable amounts: 0.50 (the processor's minimum) to 999,999.99, mostly small. */
const validCents = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 50, max: 50_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(50, 99_999_999) },
  { weight: 1, arbitrary: fc.integer({ min: 50_001, max: 99_999_999 }) },
);

const validPrice: fc.Arbitrary<PriceInput> = fc
  .tuple(validCents, fc.constantFrom('number', 'number', 'string2', 'stringShort'))
  .map(([cents, form]) => {
    const value = cents / 100;
    const price = form === 'number' ? value : form === 'string2' ? value.toFixed(2) : String(value);
    return { price, value, verdict: 'valid' as const };
  });

/** Below the minimum charge, above the maximum, fractions of a cent, not a number. */
const invalidPrice: fc.Arbitrary<PriceInput> = fc
  .constantFrom<number | string>(0, -5, 0.1, '0.10', 0.49, 10.005, '10.005', 1_000_000.01, 'abc', '', '25,00', '1e3x')
  .map((price) => ({ price, value: NaN, verdict: 'invalid' as const }));

export const priceInput: fc.Arbitrary<PriceInput> = fc.oneof(
  { weight: 10, arbitrary: validPrice },
  { weight: 1, arbitrary: invalidPrice },
);

/** The verdict of a body with both: invalid wins, then either. */
export function bodyVerdict(title: TitleInput, price: PriceInput): Verdict {
  if (title.verdict === 'invalid' || price.verdict === 'invalid') return 'invalid';
  if (title.verdict === 'either' || price.verdict === 'either') return 'either';
  return 'valid';
}

/** How a client spells an id it was given: the canonical form must be decided at the edge. */
export type IdSpelling = { kind: 'lower' | 'upper' | 'mixed'; mask: number } | { kind: 'padded'; mask: number };

export const idSpelling: fc.Arbitrary<IdSpelling> = fc.record({
  kind: fc.constantFrom<IdSpelling['kind']>('lower', 'lower', 'upper', 'mixed', 'mixed', 'padded'),
  mask: fc.integer({ min: 1, max: 2 ** 24 - 1 }),
});

/** `id` (lower-case hex) as spelled; `padded` (surrounding spaces) may be canonicalised or refused. */
export function spell(id: string, s: IdSpelling): string {
  if (s.kind === 'lower') return id;
  if (s.kind === 'upper') return id.toUpperCase();
  const mixed = [...id].map((c, i) => ((s.mask >> i % 24) & 1 ? c.toUpperCase() : c)).join('');
  return s.kind === 'padded' ? ` ${mixed} ` : mixed;
}

/** Route parameters take case variants only (spaces are not part of a path). */
export function spellParam(id: string, s: IdSpelling): string {
  return s.kind === 'padded' ? spell(id, { kind: 'mixed', mask: s.mask }) : spell(id, s);
}

export const CANONICAL_ID = /^[0-9a-f]{24}$/;
