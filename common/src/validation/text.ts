/**
 * The one definition of a text length in this system: Unicode code points (what a user
 * would call characters for nearly all text; a flag or a family emoji built with zero-width
 * joiners counts as each code point it is made of). JavaScript's `.length` counts UTF-16
 * units, validator libraries' length checks and mongoose's maxlength count other things: never use
 * those for a limit, use `codePointLength`.
 */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Bytes of the UTF-8 encoding (what BSON stores, what a hash function is fed). */
export function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * A lone (unpaired) UTF-16 surrogate, e.g. JSON's `"\ud800"`: it has no UTF-8 encoding, so it
 * cannot be stored and read back unchanged (BSON would store U+FFFD).
 */
export function hasLoneSurrogate(s: string): boolean {
  // In a `u` regex a paired surrogate is one code point; only an unpaired one is category Cs.
  return /\p{Cs}/u.test(s);
}

/** C0 controls (NUL, tab, newline…), DEL and C1 controls: never part of a one-line text. */
export function hasControlCharacter(s: string): boolean {
  return /\p{Cc}/u.test(s);
}

/** Leading or trailing whitespace (any Unicode space, including no-break and ideographic). */
export function hasOuterWhitespace(s: string): boolean {
  return /^\s|\s$/u.test(s);
}

export interface SingleLineTextRule {
  /** Most code points allowed. */
  maxLength: number;
  /** What the field is called in messages ("Title"). */
  label: string;
}

/**
 * Why `value` is not an acceptable one-line text (a title), or `undefined` when it is. The
 * rule: a string of 1..maxLength code points, well-formed (no lone surrogate), no control
 * characters, and no leading or trailing whitespace: what is accepted is stored exactly and
 * reads back byte-identical, so nothing is trimmed silently; a client trims before sending.
 */
export function singleLineTextProblem(value: unknown, { maxLength, label }: SingleLineTextRule): string | undefined {
  if (typeof value !== 'string') return `${label} is required and must be a string`;
  if (hasLoneSurrogate(value)) return `${label} must be valid Unicode (no unpaired surrogates)`;
  if (hasControlCharacter(value)) return `${label} must not contain control characters`;
  if (hasOuterWhitespace(value)) return `${label} must not start or end with whitespace`;
  const length = codePointLength(value);
  if (length < 1 || length > maxLength) return `${label} must be 1 to ${maxLength} characters (Unicode code points)`;
  return undefined;
}
