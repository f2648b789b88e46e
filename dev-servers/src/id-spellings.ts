/**
 * Many spellings of one real id, for tests of every route that takes an id: each spelling
 * either names the same entity (a case variant, which the edge canonicalises) or must be
 * refused with a 4xx; never a second entity, never a 500.
 */
export interface IdSpelling {
  label: string;
  /** A JSON value (body fields) — any type. */
  value: unknown;
  /** True when the spelling names the same entity as `id`. */
  sameEntity: boolean;
}

/** A URL path segment or query value, already percent-encoded as it goes on the wire. */
export interface IdUrlSpelling {
  label: string;
  encoded: string;
  sameEntity: boolean;
}

/** A small seeded PRNG (mulberry32), so a failing spelling is reproducible from its label. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FULLWIDTH_ZERO = 0xff10;
const fullwidthDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(FULLWIDTH_ZERO + Number(d)));
const ARABIC_INDIC_ZERO = 0x0660;
const arabicIndicDigits = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(ARABIC_INDIC_ZERO + Number(d)));

/** Case variants of `id` other than itself (upper, mixed, up to `count` random masks): all the same entity. */
export function caseVariants(id: string, count = 20, seed = 14): string[] {
  const random = prng(seed);
  const variants = new Set([id.toUpperCase(), [...id].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('')]);
  // An id with few letters has few variants (2^letters, the id itself included): never ask for more.
  const letters = (id.match(/[a-fA-F]/g) ?? []).length;
  const wanted = Math.min(count + 2, 2 ** letters - 1);
  for (let tries = 0; variants.size < wanted && tries < 1_000; tries++) {
    variants.add([...id].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join(''));
  }
  variants.delete(id);
  return [...variants];
}

/** Strings that look like `id` but are not an id (each must be refused). */
export function lookalikeStrings(id: string): [string, string][] {
  return [
    ['leading space', ` ${id}`],
    ['trailing space', `${id} `],
    ['leading tab', `\t${id}`],
    ['trailing newline', `${id}\n`],
    ['no-break space', `${id}\u00a0`],
    ['zero-width space inside', `${id.slice(0, 12)}\u200b${id.slice(12)}`],
    ['BOM before', `\ufeff${id}`],
    ['literal %20 before', `%20${id}`],
    ['literal %20 after', `${id}%20`],
    ['percent-encoded letters left over', [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')],
    ['fullwidth digits', fullwidthDigits(id)],
    ['fullwidth digits, upper case', fullwidthDigits(id.toUpperCase())],
    ['Arabic-Indic digits', arabicIndicDigits(id)],
    ['12-character prefix (12 raw bytes to mongoose)', id.slice(0, 12)],
    ['12 arbitrary characters', 'aaaaaaaaaaaa'],
    ['23 characters', id.slice(1)],
    ['25 characters', `${id}0`],
    ['0x prefix', `0x${id}`],
    ['ObjectId(...) wrapper', `ObjectId("${id}")`],
    ['one non-hex letter', `${id.slice(0, 23)}g`],
    ['empty', ''],
    ['$ne operator as text', '{"$ne":null}'],
  ];
}

/** Every spelling of `id` as a JSON value: case variants, look-alike strings, other types. */
export function idSpellings(id: string): IdSpelling[] {
  return [
    { label: 'as is', value: id, sameEntity: true },
    ...caseVariants(id).map((value) => ({ label: `case ${value}`, value, sameEntity: true })),
    ...lookalikeStrings(id).map(([label, value]) => ({ label, value, sameEntity: false })),
    { label: 'array of the id', value: [id], sameEntity: false },
    { label: 'array of two ids', value: [id, id], sameEntity: false },
    { label: 'object {$ne: null}', value: { $ne: null }, sameEntity: false },
    { label: 'object {$gt: ""}', value: { $gt: '' }, sameEntity: false },
    { label: 'object {id}', value: { id }, sameEntity: false },
    { label: 'null', value: null, sameEntity: false },
    { label: 'number', value: 123456789012, sameEntity: false },
    { label: 'boolean', value: true, sameEntity: false },
  ];
}

/**
 * Every spelling of `id` as it can appear in a URL (a path segment or a query value):
 * percent-encoded case variants (the same entity: the server decodes once) and encoded
 * look-alikes, plus double-encoded leftovers that decode to a non-id.
 */
export function idUrlSpellings(id: string): IdUrlSpelling[] {
  return [
    { label: 'as is', encoded: id, sameEntity: true },
    ...caseVariants(id).map((v) => ({ label: `case ${v}`, encoded: v, sameEntity: true })),
    { label: 'every character percent-encoded', encoded: [...id].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''), sameEntity: true },
    ...lookalikeStrings(id)
      .filter(([, v]) => v !== '')
      .map(([label, v]) => ({ label, encoded: encodeURIComponent(v), sameEntity: false })),
    { label: 'double-encoded space', encoded: `%2520${id}`, sameEntity: false },
    { label: 'raw %00 after', encoded: `${id}%00`, sameEntity: false },
    { label: 'malformed percent-encoding', encoded: `${id.slice(0, 22)}%zz`, sameEntity: false },
    { label: 'dot segment', encoded: `${id}.json`, sameEntity: false },
  ];
}
