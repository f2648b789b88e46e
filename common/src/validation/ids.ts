const OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/**
 * The one canonical form of an id: a string of exactly 24 hex digits (any case in, lower case
 * out), or `undefined`. Nothing else is an id: no padding or whitespace, no other digits
 * (fullwidth, Arabic-Indic), no percent-encoding left over, no 12-character strings (which
 * mongoose would take as 12 raw bytes), no numbers, arrays or objects. Every route and event
 * that takes an id goes through this, so "the same id spelled differently" is one thing.
 */
export function canonicalObjectId(value: unknown): string | undefined {
  return typeof value === 'string' && OBJECT_ID.test(value) ? value.toLowerCase() : undefined;
}

/** True for a value `canonicalObjectId` accepts (in any case). */
export function isObjectId(value: unknown): value is string {
  return canonicalObjectId(value) !== undefined;
}
